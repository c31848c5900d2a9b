import CCurl

/// A `curl_slist` of request header lines, freed by its owner after the transfer.
struct HeaderList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    mutating func append(_ line: String) {
        // curl_slist_append copies the string; on allocation failure it returns NULL and leaves
        // the list as it was.
        if let newHead = curl_slist_append(head, line) { head = newHead }
    }

    mutating func free() {
        curl_slist_free_all(head)
        head = nil
    }
}
