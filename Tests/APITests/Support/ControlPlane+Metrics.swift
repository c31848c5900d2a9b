import API
import HTTPServer

extension ControlPlane {
    /// What the control plane adds to `/metrics`, rendered in Prometheus text format.
    func renderedMetrics() -> String {
        let metrics = Metrics()
        registerMetrics(on: metrics)
        return metrics.render()
    }
}
