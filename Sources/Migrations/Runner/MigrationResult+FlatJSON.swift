import Foundation

extension MigrationResult {
    /// Reads the flat results this package writes without `JSONDecoder`: the fast path of
    /// ``decode(from:)``, ten times cheaper on a status of thousands.
    ///
    /// `nil` whenever the JSON is anything but the plain shape (a checkpoint, a control request, a shard,
    /// a date with a fraction or an offset, a number that is not plain digits, an unknown status): the
    /// caller then decodes it with `JSONDecoder`, which accepts or refuses it as it always has.
    ///
    /// - Parameter bytes: The UTF-8 JSON.
    init?(flatJSON bytes: UnsafeRawBufferPointer) {
        guard let object = FlatJSONObject(bytes),
            ["resumedFrom", "control", "shard", "shardsRun"].allSatisfy(object.isAbsent),
            let name = object.string("name"),
            let status = object.string("status").flatMap(Status.init(rawValue:)),
            let startedAt = object.string("startedAt").flatMap(Self.date(iso8601:)),
            let finishedAt = object.string("finishedAt").flatMap(Self.date(iso8601:)),
            let duration = object.double("duration"),
            let warnings = object.strings("warnings"),
            let triggeredBy = object.string("triggeredBy"),
            let host = object.string("host"),
            let pid = object.integer("pid", as: Int32.self),
            let attempts = object.integer("attempts", as: Int.self)
        else { return nil }
        var failure: Failure?
        if !object.isAbsent("failure") {
            guard let read = object.string("failure").flatMap(Failure.init(rawValue:)) else { return nil }
            failure = read
        }
        guard let error = Self.optional(object, "error", object.string),
            let fencingToken = Self.optional(object, "fencingToken", { object.integer($0, as: UInt64.self) }),
            let runId = Self.optional(object, "runId", object.string),
            let recordsProcessed = Self.optional(object, "recordsProcessed", { object.integer($0, as: Int.self) }),
            let shardCount = Self.optional(object, "shardCount", { object.integer($0, as: Int.self) })
        else { return nil }
        self.init(
            name: name, status: status, failure: failure, startedAt: startedAt, finishedAt: finishedAt,
            error: error, warnings: warnings, triggeredBy: triggeredBy, host: host, pid: pid, attempts: attempts,
            fencingToken: fencingToken, runId: runId, recordsProcessed: recordsProcessed)
        self.duration = duration
        self.shardCount = shardCount
    }

    /// An optional member: `.some(nil)` when absent or null, `.some(value)` when it reads, `nil` when it
    /// is present but of another kind (the whole fast path then gives up).
    private static func optional<Value>(
        _ object: FlatJSONObject, _ key: String, _ read: (String) -> Value?
    ) -> Value?? {
        if object.isAbsent(key) { return .some(nil) }
        return read(key).map { .some($0) }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, as `JSONEncoder`'s `.iso8601` writes it; `nil` for any other form.
    static func date(iso8601 text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            utf8[19] == UInt8(ascii: "Z")
        else { return nil }
        func field(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = field(0..<4), let month = field(5..<7), let day = field(8..<10),
            let hour = field(11..<13), let minute = field(14..<16), let second = field(17..<19),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60, year >= 1
        else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
