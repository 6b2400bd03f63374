import Migrations

// MARK: - Files

extension MigrationDiscoverer {
    /// Checks the migrations one scanned file declares and adds those that pass to `result`.
    func scanFile(
        _ path: String,
        declarations: [SwiftTypeDeclaration],
        index: DeclarationIndex,
        into result: inout DiscoveryResult
    ) {
        let migrations = declarations.filter(index.isConcreteMigration)
        guard !migrations.isEmpty else {
            let types = declarations.filter { $0.kind != .extension && $0.kind != .protocol }.map {
                "'\($0.qualifiedName)'"
            }
            let found = types.isEmpty ? "" : " (\(types.joined(separator: ", ")) does not conform to Migration)"
            result.diagnostics.append(
                DiscoveryDiagnostic(
                    .error, file: path, line: declarations.first?.line ?? 1,
                    "file matches '\(configuration.pattern)' but declares no migration\(found); declare a struct "
                        + "that conforms to Migration, such as 'struct ImportUsers: Migration { … }', "
                        + "or rename the file so that it does not match the pattern"
                )
            )
            return
        }
        for type in migrations {
            let extensions = index.extensions(of: type)
            var problems = constructionProblems(of: type, extensions: extensions)
            let context = contextType(of: type, extensions: extensions, index: index)
            if context == nil {
                problems.append(
                    "cannot tell which context migration '\(type.qualifiedName)' runs with; write its up step as "
                        + "'func up(_ context: MigrationContext<YourContext>) async throws' "
                        + "or add 'typealias Context = YourContext'"
                )
            }
            for problem in problems {
                result.diagnostics.append(DiscoveryDiagnostic(.error, file: path, line: type.line, problem))
            }
            // A migration with problems stays in the list so that its name is checked too: every mistake is
            // reported in one build. No code is generated while there are errors.
            let nameProperty = type.members.nameProperty ?? extensions.lazy.compactMap(\.members.nameProperty).first
            result.migrations.append(
                DiscoveryResult.Migration(
                    typeName: type.qualifiedName,
                    name: nameProperty?.literal,
                    file: path,
                    line: type.line,
                    nameLine: nameProperty?.line ?? type.line,
                    contextType: context ?? ""
                )
            )
            if nameProperty?.literal == nil {
                let what =
                    nameProperty == nil
                    ? "has no 'name' declared in its body" : "has a 'name' that is not a string literal"
                result.diagnostics.append(
                    DiscoveryDiagnostic(
                        .warning, file: path, line: nameProperty?.line ?? type.line,
                        "migration '\(type.qualifiedName)' \(what), so it cannot be checked for duplicates at "
                            + "build time; the registry checks it when the migrations are registered"
                    )
                )
            }
        }
    }
}

// MARK: - Construction

extension MigrationDiscoverer {
    /// Why generated code could not write `TypeName()`, one message per reason.
    func constructionProblems(of type: SwiftTypeDeclaration, extensions: [SwiftTypeDeclaration]) -> [String] {
        let name = type.qualifiedName
        var problems: [String] = []
        switch type.kind {
        case .struct, .class:
            break
        default:
            problems.append(
                "migration '\(name)' is an \(type.kind.rawValue); discovery "
                    + "constructs migrations with '\(name)()', so declare it as a struct or a final class"
            )
        }
        if let access = type.accessLevel, !access.isVisibleToOtherFiles {
            problems.append(
                "migration '\(name)' is \(access) (or nested in a \(access) type), so the generated registration "
                    + "code cannot see it; make it internal by removing '\(access)'"
            )
        }
        if type.isGeneric {
            let parameters = type.genericParameters.map { " \($0)" } ?? ""
            problems.append(
                "migration '\(name)' is generic\(parameters) (or nested in a generic type), so discovery cannot "
                    + "choose its type arguments; make it non-generic, or exclude it from the pattern and "
                    + "register it by hand"
            )
        }
        if let problem = initializerProblem(of: type, extensions: extensions) {
            problems.append(problem)
        }
        return problems
    }

    private func initializerProblem(of type: SwiftTypeDeclaration, extensions: [SwiftTypeDeclaration]) -> String? {
        let name = type.qualifiedName
        let declared = type.members.initializers
        let all = declared + extensions.flatMap(\.members.initializers)
        let candidates = all.filter(\.isCallableWithoutArguments)
        if candidates.contains(where: { isUsable($0) }) { return nil }
        if let initializer = candidates.first {
            if let access = initializer.accessLevel, !access.isVisibleToOtherFiles {
                return "migration '\(name)' cannot be constructed: its init() at line \(initializer.line) is "
                    + "\(access); make it internal"
            }
            let effects = [
                initializer.isFailable ? "failable" : nil, initializer.isThrowing ? "throwing" : nil,
                initializer.isAsync ? "async" : nil,
            ].compactMap { $0 }.joined(separator: ", ")
            return "migration '\(name)' cannot be constructed: its init() at line \(initializer.line) is \(effects); "
                + "discovery calls '\(name)()' directly, so give it an init() that cannot fail"
        }
        if !declared.isEmpty {
            let signatures = declared.map { "\($0.signature) at line \($0.line)" }.joined(separator: ", ")
            return "migration '\(name)' cannot be constructed: every initializer takes arguments (\(signatures)); "
                + "add an 'init()' that takes no arguments, or give every parameter a default value"
        }
        let missing = type.members.storedProperties.filter { !$0.hasDefaultValue }
        guard !missing.isEmpty else { return nil }
        let properties = missing.map { "'\($0.name)' (line \($0.line))" }.joined(separator: ", ")
        let plural = missing.count > 1
        return "migration '\(name)' cannot be constructed: stored propert\(plural ? "ies" : "y") \(properties) "
            + "\(plural ? "have" : "has") no default value, so it has no init() that takes no arguments; "
            + "give \(plural ? "them default values" : "it a default value") or add an 'init()'"
    }

    private func isUsable(_ initializer: SwiftInitializer) -> Bool {
        (initializer.accessLevel?.isVisibleToOtherFiles ?? true) && !initializer.isFailable
            && !initializer.isThrowing && !initializer.isAsync
    }

    // MARK: - Context

    /// The context type a migration runs with: from `typealias Context`, from `MigrationContext<…>` in
    /// `up` (or another step), or from a protocol that fixes it.
    func contextType(
        of type: SwiftTypeDeclaration,
        extensions: [SwiftTypeDeclaration],
        index: DeclarationIndex
    ) -> String? {
        let bodies = [type.members] + extensions.map(\.members)
        if let alias = bodies.lazy.compactMap(\.contextTypeAlias).first { return alias }
        let mentions = bodies.flatMap(\.migrationContextMentions).filter {
            $0.type != "Context" && $0.type != "Self.Context"
        }
        if let mention = mentions.first(where: { $0.function == "up" }) ?? mentions.first { return mention.type }
        if case .some(.some(let context)) = index.migrationConformance(of: type) { return context }
        return nil
    }
}

// MARK: - Target-wide checks

extension MigrationDiscoverer {
    /// Every migration of a target must run with the same context type.
    func checkContextTypes(_ result: inout DiscoveryResult) {
        guard let first = result.migrations.first(where: { !$0.contextType.isEmpty }) else { return }
        let mismatched = result.migrations.filter { !$0.contextType.isEmpty && $0.contextType != first.contextType }
        for migration in mismatched {
            result.diagnostics.append(
                DiscoveryDiagnostic(
                    .error, file: migration.file, line: migration.line,
                    "migration '\(migration.typeName)' runs with context '\(migration.contextType)', but "
                        + "'\(first.typeName)' (\(first.file):\(first.line)) runs with '\(first.contextType)'; "
                        + "every discovered migration of a target must use the same context type, written the same way"
                )
            )
        }
    }

    /// Literal names must be valid and unique.
    func checkNames(_ result: inout DiscoveryResult) {
        var firstByName: [String: DiscoveryResult.Migration] = [:]
        for migration in result.migrations {
            guard let name = migration.name else { continue }
            do {
                try MigrationName.validate(name)
            } catch {
                result.diagnostics.append(
                    DiscoveryDiagnostic(.error, file: migration.file, line: migration.nameLine, error.message)
                )
                continue
            }
            guard let first = firstByName[name] else {
                firstByName[name] = migration
                continue
            }
            result.diagnostics.append(
                DiscoveryDiagnostic(
                    .error, file: migration.file, line: migration.nameLine,
                    "duplicate migration name '\(name)': '\(migration.typeName)' and '\(first.typeName)' "
                        + "(\(first.file):\(first.nameLine)) both use it; every migration needs a unique name, "
                        + "because the name keys its completion state"
                )
            )
            result.diagnostics.append(
                DiscoveryDiagnostic(
                    .note, file: first.file, line: first.nameLine,
                    "'\(first.typeName)' first declares the name '\(name)' here"
                )
            )
        }
    }
}
