/// A Swift access level, ordered from most to least restrictive.
package enum AccessLevel: Int, Sendable, Hashable, Comparable {
    case `private`
    case `fileprivate`
    case `internal`
    case `package`
    case `public`
    case `open`

    /// The access level a keyword spells, if it spells one.
    package init?(keyword: String) {
        switch keyword {
        case "private": self = .private
        case "fileprivate": self = .fileprivate
        case "internal": self = .internal
        case "package": self = .package
        case "public": self = .public
        case "open": self = .open
        default: return nil
        }
    }

    /// Whether code in another file of the same module can use a declaration with this access level.
    package var isVisibleToOtherFiles: Bool { self >= .internal }

    package static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
