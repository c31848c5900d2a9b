import Connector
import Foundation
import Testing

@Suite struct CanonicalEncodingTests {
    @Test(arguments: [("1.50", "1.5"), ("2.000", "2"), ("0.00", "0"), ("-3.10", "-3.1"), ("100", "100"), ("0.001", "0.001")])
    func decimalsHashTheSameWhateverTheirTrailingZeros(_ pair: (String, String)) {
        var a = CanonicalEncoding(kind: "t", version: 1)
        a.add("x", Decimal(string: pair.0)!)
        var b = CanonicalEncoding(kind: "t", version: 1)
        b.add("x", Decimal(string: pair.1)!)
        #expect(a.canonicalText == b.canonicalText)
        #expect(a.canonicalText == "t.v1\nx=\(pair.1)\n")
    }

    @Test func escapingKeepsFieldsApart() {
        var a = CanonicalEncoding(kind: "t", version: 1)
        a.add("a", "1\nb=2")
        var b = CanonicalEncoding(kind: "t", version: 1)
        b.add("a", "1")
        b.add("b", "2")
        #expect(a.sha256 != b.sha256)
        var n = CanonicalEncoding(kind: "t", version: 1)
        n.add("a", nil as String?)
        var e = CanonicalEncoding(kind: "t", version: 1)
        e.add("a", "~")
        #expect(n.sha256 != e.sha256)
    }

    @Test func theVersionChangesTheHash() {
        #expect(CanonicalEncoding(kind: "t", version: 1).sha256 != CanonicalEncoding(kind: "t", version: 2).sha256)
    }
}
