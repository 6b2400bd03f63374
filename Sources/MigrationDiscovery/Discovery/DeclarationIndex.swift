/// The declarations of a whole target, indexed for the questions discovery asks of a type: does it
/// conform to `Migration`, what do its extensions add, and which context does a protocol fix.
struct DeclarationIndex: Sendable {
    /// Extensions by the name of the type they extend.
    private var extensions: [String: [SwiftTypeDeclaration]] = [:]

    /// Protocols of the target that refine `Migration`, with the context type they fix, if any.
    private(set) var migrationProtocols: [String: String?] = [:]

    /// Indexes the declarations of every file.
    ///
    /// - Parameters:
    ///   - declarations: The declarations of each file, by path.
    ///   - order: The paths in run order, so that "first" is stable.
    init(_ declarations: [String: [SwiftTypeDeclaration]], order: [String]) {
        var protocols: [String: SwiftTypeDeclaration] = [:]
        for path in order {
            for declaration in declarations[path] ?? [] {
                switch declaration.kind {
                case .extension: extensions[declaration.qualifiedName, default: []].append(declaration)
                case .protocol:
                    protocols[declaration.qualifiedName] = protocols[declaration.qualifiedName] ?? declaration
                default: continue
                }
            }
        }
        // Refinement can be indirect (`protocol B: A`, `protocol A: Migration`): repeat until nothing changes.
        var changed = true
        while changed {
            changed = false
            for (name, declaration) in protocols where migrationProtocols[name] == nil {
                guard let context = refinedContext(of: declaration) else { continue }
                migrationProtocols[name] = context
                changed = true
            }
        }
    }

    /// The context a protocol fixes when it refines `Migration` (`.some(nil)` when it fixes none), or
    /// `nil` when it does not refine `Migration`.
    private func refinedContext(of declaration: SwiftTypeDeclaration) -> String?? {
        let own = declaration.whereContextType ?? declaration.members.contextTypeAlias
        for inherited in declaration.inheritedTypes {
            let (base, argument) = Self.split(inherited)
            if base == "Migration" { return .some(own ?? argument) }
            if let context = migrationProtocols[base] { return .some(own ?? context) }
        }
        return nil
    }

    /// `Migrations.Migration<App>` → (`Migration`, `App`).
    static func split(_ inherited: String) -> (base: String, argument: String?) {
        var base = inherited
        var argument: String?
        if let open = base.firstIndex(of: "<"), base.hasSuffix(">") {
            argument = String(base[base.index(after: open)..<base.index(before: base.endIndex)])
            base = String(base[..<open])
        }
        if base.hasPrefix("Migrations.") { base.removeFirst("Migrations.".count) }
        return (base, argument)
    }

    // MARK: - Questions

    /// The extensions of `type`, in run order of their files.
    func extensions(of type: SwiftTypeDeclaration) -> [SwiftTypeDeclaration] {
        extensions[type.qualifiedName] ?? []
    }

    /// How `type` conforms to `Migration`: `.some(nil)` directly, `.some(context)` through a protocol
    /// that fixes a context, or `nil` when it does not conform.
    func migrationConformance(of type: SwiftTypeDeclaration) -> String?? {
        let inherited = type.inheritedTypes + extensions(of: type).flatMap(\.inheritedTypes)
        var conforms = false
        var context: String?
        for name in inherited {
            let (base, _) = Self.split(name)
            if base == "Migration" {
                conforms = true
            } else if let fixed = migrationProtocols[base] {
                conforms = true
                context = context ?? fixed
            }
        }
        return conforms ? .some(context) : nil
    }

    /// Whether `type` is a struct, class, enum or actor that conforms to `Migration`.
    func isConcreteMigration(_ type: SwiftTypeDeclaration) -> Bool {
        type.kind != .protocol && type.kind != .extension && migrationConformance(of: type) != nil
    }
}
