public import Logging

extension MigrationDiscoveryReport {
    /// Logs the report: one `info` entry for the scan, each scanned file, each migration found and each
    /// skipped file, and a `warning` for each build-time warning.
    ///
    /// Metadata keys: `discovery.pattern`, `discovery.directory`, `discovery.recursive`,
    /// `discovery.count`, `discovery.file`, `discovery.line`, `discovery.reason`, `migration.name` and
    /// `migration.type`.
    ///
    /// - Parameter logger: The logger to write to, usually the registry's debug logger.
    public func log(to logger: Logger) {
        logger.info(
            "discovery scanned \(scannedFiles.count) file(s), found \(found.count) migration(s)",
            metadata: [
                "discovery.pattern": "\(pattern)",
                "discovery.directory": "\(directory.isEmpty ? "." : directory)",
                "discovery.recursive": "\(recursive)",
                "discovery.count": "\(found.count)",
            ]
        )
        for file in scannedFiles {
            logger.info("discovery scanned file", metadata: ["discovery.file": "\(file)"])
        }
        for migration in found {
            logger.info(
                "discovered migration",
                metadata: [
                    "migration.name": "\(migration.name ?? "(known at run time)")",
                    "migration.type": "\(migration.typeName)",
                    "discovery.file": "\(migration.file)",
                    "discovery.line": "\(migration.line)",
                ]
            )
        }
        for file in skipped {
            logger.info(
                "discovery skipped file",
                metadata: ["discovery.file": "\(file.file)", "discovery.reason": "\(file.reason)"]
            )
        }
        for warning in warnings {
            logger.warning(
                "\(warning.message)",
                metadata: ["discovery.file": "\(warning.file)", "discovery.line": "\(warning.line)"]
            )
        }
    }
}
