/// One batch that a fetch closure of ``MigrationContext/iterate(from:fetch:process:)`` returns: the items
/// and the cursor just after the last of them.
public struct MigrationBatch<Item, Cursor: Codable & Sendable> {
    /// The items to process.
    public var items: [Item]
    /// The position after the last item: the next fetch starts here, and it is saved as the checkpoint
    /// once the items are processed.
    public var cursor: Cursor

    /// Creates a batch.
    ///
    /// - Parameters:
    ///   - items: The items to process.
    ///   - cursor: The position after the last item.
    public init(items: [Item], cursor: Cursor) {
        self.items = items
        self.cursor = cursor
    }
}

extension MigrationBatch: Sendable where Item: Sendable {}
