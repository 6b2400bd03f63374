/// One row of the results: our figure, the reference measured in the same run, their ratio and the target.
struct Figure: Sendable, Codable {
    /// The figure's id in issue 6, such as `P1` or `P3`.
    var id: String
    /// What is measured, such as `SET then GET, one at a time`.
    var measure: String
    /// Our figure, with its unit.
    var ours: String
    /// The reference figure, naming the reference.
    var reference: String
    /// The ratio that the target is stated in, such as `0.93×`.
    var ratio: String
    /// The target, such as `≥ 0.9×`.
    var target: String
    /// Whether the target was met; `nil` for figures without a target.
    var met: Bool?
    /// How the figure was obtained, and anything a reader must know to trust it.
    var note: String

    /// Creates a row.
    init(
        _ id: String, _ measure: String, ours: String, reference: String, ratio: String, target: String,
        met: Bool?, note: String = ""
    ) {
        self.id = id
        self.measure = measure
        self.ours = ours
        self.reference = reference
        self.ratio = ratio
        self.target = target
        self.met = met
        self.note = note
    }

    /// `met`, `MISSED` or `—`.
    var verdict: String {
        switch met {
        case true?: "met"
        case false?: "**MISSED**"
        case nil: "—"
        }
    }
}
