/// What one worker printed, by kind.
struct WorkerReport {
    /// Names of the migrations it reported completed.
    var completed: [String] = []
    /// Names of the migrations it reported failed, with the failure.
    var failed: [(name: String, failure: String, error: String)] = []
    /// Refused runs: the name (empty for `runPending`) and the message.
    var errors: [(name: String, message: String)] = []

    init(_ objects: [[String: Any]]) {
        for object in objects {
            let name = object["name"] as? String ?? ""
            if object["event"] as? String == "error" {
                errors.append((name, object["message"] as? String ?? ""))
            } else if object["status"] as? String == "completed" {
                completed.append(name)
            } else if object["status"] as? String == "failed" {
                failed.append((name, object["failure"] as? String ?? "", object["error"] as? String ?? ""))
            }
        }
    }
}
