import Synchronization

/// A small, thread-safe metrics registry rendered in the Prometheus text format (0.0.4):
/// counters and histograms with labels, and gauges read from a closure at scrape time.
///
/// ```swift
/// let metrics = Metrics()
/// let requests = metrics.counter("http_requests_total", help: "Requests answered.", labels: ["route", "status"])
/// requests.increment(["/v1/jobs", "200"])
/// metrics.gauge("http_connections_open", help: "Open connections.") { Double(server.openConnections) }
/// let text = metrics.render()   // serve it at GET /metrics
/// ```
///
/// Label values must come from a bounded set (route patterns, status codes), never from raw
/// paths or ids: every distinct combination is a series kept for the life of the process.
public final class Metrics: Sendable {
    enum Family: Sendable {
        case counter(Counter)
        case histogram(Histogram)
        case sampled(name: String, help: String, type: String, read: @Sendable () -> Double)
    }

    private let families = Mutex<[Family]>([])

    public init() {}

    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        let counter = Counter(name: name, help: help, labelNames: labels)
        families.withLock { $0.append(.counter(counter)) }
        return counter
    }

    /// Default buckets suit request latencies in seconds, from 0.5 ms to 10 s.
    public func histogram(_ name: String, help: String, labels: [String] = [],
                          buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) -> Histogram {
        let histogram = Histogram(name: name, help: help, labelNames: labels, buckets: buckets.sorted())
        families.withLock { $0.append(.histogram(histogram)) }
        return histogram
    }

    /// A gauge whose value is read when the metrics are rendered (connections open, pool in use, RSS).
    public func gauge(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        families.withLock { $0.append(.sampled(name: name, help: help, type: "gauge", read: read)) }
    }

    /// A counter kept elsewhere (a total the server already counts), read when rendered.
    public func counter(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        families.withLock { $0.append(.sampled(name: name, help: help, type: "counter", read: read)) }
    }

    /// All metrics in Prometheus text format (`Content-Type: text/plain; version=0.0.4`).
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for family in snapshot {
            switch family {
            case .counter(let c): c.render(into: &out)
            case .histogram(let h): h.render(into: &out)
            case .sampled(let name, let help, let type, let read):
                out += "# HELP \(name) \(Metrics.escapeHelp(help))\n# TYPE \(name) \(type)\n\(name) \(Metrics.format(read()))\n"
            }
        }
        return out
    }

    /// A counter per label combination.
    public final class Counter: Sendable {
        let name: String
        let help: String
        let labelNames: [String]
        private let values = Mutex<[[String]: Double]>([:])

        init(name: String, help: String, labelNames: [String]) {
            self.name = name
            self.help = help
            self.labelNames = labelNames
        }

        /// Adds `amount` (≥ 0) to the series with these label values, in `labels` order.
        public func increment(_ labelValues: [String] = [], by amount: Double = 1) {
            precondition(labelValues.count == labelNames.count, "label values must match label names")
            values.withLock { $0[labelValues, default: 0] += max(0, amount) }
        }

        public func value(_ labelValues: [String] = []) -> Double { values.withLock { $0[labelValues] ?? 0 } }

        func render(into out: inout String) {
            out += "# HELP \(name) \(Metrics.escapeHelp(help))\n# TYPE \(name) counter\n"
            for (labels, value) in values.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                out += "\(name)\(Metrics.labelText(labelNames, labels)) \(Metrics.format(value))\n"
            }
        }
    }

    /// A histogram per label combination, with cumulative `_bucket{le=…}`, `_sum` and `_count`.
    public final class Histogram: Sendable {
        let name: String
        let help: String
        let labelNames: [String]
        let buckets: [Double]
        struct Series { var counts: [UInt64]; var sum: Double; var count: UInt64 }
        private let series = Mutex<[[String]: Series]>([:])

        init(name: String, help: String, labelNames: [String], buckets: [Double]) {
            self.name = name
            self.help = help
            self.labelNames = labelNames
            self.buckets = buckets
        }

        public func observe(_ value: Double, _ labelValues: [String] = []) {
            precondition(labelValues.count == labelNames.count, "label values must match label names")
            let index = buckets.firstIndex { value <= $0 } ?? buckets.count
            series.withLock {
                var s = $0[labelValues] ?? Series(counts: Array(repeating: 0, count: buckets.count + 1), sum: 0, count: 0)
                s.counts[index] += 1
                s.sum += value
                s.count += 1
                $0[labelValues] = s
            }
        }

        public func observe(_ duration: Duration, _ labelValues: [String] = []) {
            let (s, atto) = duration.components
            observe(Double(s) + Double(atto) / 1e18, labelValues)
        }

        func render(into out: inout String) {
            out += "# HELP \(name) \(Metrics.escapeHelp(help))\n# TYPE \(name) histogram\n"
            for (labels, s) in series.withLock({ $0 }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                var cumulative: UInt64 = 0
                for (i, bound) in (buckets + [Double.infinity]).enumerated() {
                    cumulative += s.counts[i]
                    let le = bound.isInfinite ? "+Inf" : Metrics.format(bound)
                    out += "\(name)_bucket\(Metrics.labelText(labelNames + ["le"], labels + [le])) \(cumulative)\n"
                }
                out += "\(name)_sum\(Metrics.labelText(labelNames, labels)) \(Metrics.format(s.sum))\n"
                out += "\(name)_count\(Metrics.labelText(labelNames, labels)) \(s.count)\n"
            }
        }
    }

    static func labelText(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        return "{" + zip(names, values).map { "\($0)=\"\(escapeLabel($1))\"" }.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
