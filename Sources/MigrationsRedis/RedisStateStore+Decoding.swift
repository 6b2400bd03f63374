import Foundation
import Migrations
import RedisClient

extension RedisStateStore {
    /// Turns the replies of ``keyByKeyStateCommands(_:)`` for one migration into its state, naming any key with foreign data.
    func decodeState(_ name: String, _ replies: [RedisReply]) -> StoredMigrationState {
        var problems: [String] = []
        func string(_ reply: RedisReply, key: @autoclosure () -> String) -> [UInt8]? {
            switch reply {
            case .bulk(let bytes): return bytes
            case .null: return nil
            case .error(let message):
                problems.append("\(key()): \(message.split(separator: " ").first.map(String.init) ?? message)")
                return nil
            default:
                problems.append("\(key()): unexpected reply \(reply)")
                return nil
            }
        }
        let completed = string(replies[0], key: keys.completed(name))
        let resultBytes = string(replies[1], key: keys.result(name))
        let error = string(replies[2], key: keys.error(name)).map { String(decoding: $0, as: UTF8.self) }
        let leaseBytes = string(replies[3], key: keys.lease(name))
        let progressBytes = string(replies[5], key: keys.progress(name))
        let failureBytes = string(replies[6], key: keys.failure(name))
        let checkpointBytes = string(replies[7], key: keys.checkpoint(name))
        let fenceBytes = string(replies[8], key: keys.fence(name))
        let controlBytes = string(replies[9], key: keys.control(name))

        var result: MigrationResult?
        if let resultBytes {
            result = try? MigrationResult.decode(from: Data(resultBytes))
            if result == nil { problems.append("\(keys.result(name)): not a migration result (foreign JSON)") }
        }
        var failure: MigrationResult?
        if let failureBytes {
            failure = try? MigrationResult.decode(from: Data(failureBytes))
            if failure == nil { problems.append("\(keys.failure(name)): not a migration result (foreign JSON)") }
        }
        var holder: LeaseHolder?
        if let leaseBytes {
            if let value = RedisLeaseValue.decode(leaseBytes) {
                holder = value.holder(ttlLeftMilliseconds: replies[4].int.flatMap { $0 >= 0 ? $0 : nil })
            } else {
                problems.append("\(keys.lease(name)): not a lease value (foreign data)")
            }
        }
        let progress = progressBytes.flatMap {
            try? MigrationJSON.decode(ProgressSnapshot.self, from: Data($0))
        }
        if progressBytes != nil && progress == nil {
            problems.append("\(keys.progress(name)): not a progress snapshot (foreign JSON)")
        }
        var checkpoint: MigrationCheckpoint?
        if let checkpointBytes {
            checkpoint = try? MigrationCheckpoint.decode(from: Data(checkpointBytes))
            if checkpoint == nil { problems.append("\(keys.checkpoint(name)): not a checkpoint (foreign JSON)") }
        }
        var control: MigrationControl?
        if let controlBytes {
            control = try? MigrationControl.decode(from: Data(controlBytes))
            if control == nil { problems.append("\(keys.control(name)): not a control request (foreign JSON)") }
        }
        var fencingToken: UInt64? = 0
        if let fenceBytes {
            fencingToken = UInt64(String(decoding: fenceBytes, as: UTF8.self))
            if fencingToken == nil { problems.append("\(keys.fence(name)): not an integer") }
        }
        if let completed, completed != Array("true".utf8) {
            problems.append("\(keys.completed(name)): expected 'true'")
        }
        return StoredMigrationState(
            isCompleted: completed == Array("true".utf8),
            lastResult: result,
            lastError: error,
            lastFailure: error == nil ? nil : failure,
            holder: holder,
            progress: progress,
            problem: problems.isEmpty ? nil : "foreign data under our keys: " + problems.joined(separator: "; "),
            checkpoint: checkpoint,
            fencingToken: fencingToken
        ).with(control: control)
    }
}
