import Foundation
import GP

/// Where the next incremental read starts. GP's modified dates carry no time (a change at 23:59
/// has the same date as one at 00:01), so a read restarts on the watermark's day minus an overlap
/// and relies on content hashes to make the re-read cheap; Commerce's `updated_at` has seconds
/// but clocks and commit order drift, so it re-reads a few minutes.
public enum WatermarkOverlap {
    /// The GP day to pass as `modifiedSince` when the GP client adds its own overlap
    /// (`GPSettings.modifiedOverlapDays`): simply the watermark's UTC day.
    public static func gpModifiedSince(_ watermark: Date?) -> GPDate? {
        watermark.map(GPDate.init)
    }

    /// The first GP day to re-read when the caller filters itself: watermark day − `overlapDays`.
    public static func gpReadFrom(_ watermark: Date?, overlapDays: Int) -> GPDate? {
        watermark.map { GPDate($0).adding(days: -max(0, overlapDays)) }
    }

    /// The watermark to store after a GP read: midnight UTC of the newest modified date seen.
    public static func gpWatermark(newestModified: GPDate) -> Date {
        newestModified.date
    }

    /// Commerce `updated_at` lower bound: the watermark minus `overlapSeconds` (default 5 minutes).
    public static func commerceReadFrom(_ watermark: Date?, overlapSeconds: TimeInterval = 300) -> Date? {
        watermark.map { $0.addingTimeInterval(-max(0, overlapSeconds)) }
    }
}
