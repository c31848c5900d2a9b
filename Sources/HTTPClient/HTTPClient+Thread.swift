#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPClient {
    /// The calling thread's own client, created on first use and released when the thread ends.
    ///
    /// This is how worker threads share nothing yet keep their connections (and NTLM-authenticated
    /// sessions) across requests. Do not call it from Swift's cooperative pool: tasks hop between
    /// threads there, and `perform` would block a pool thread.
    public static func forCurrentThread() -> HTTPClient {
        let key = ThreadClientKey.key
        if let existing = pthread_getspecific(key) {
            return Unmanaged<HTTPClient>.fromOpaque(existing).takeUnretainedValue()
        }
        let client = HTTPClient()
        // The thread-specific slot holds the one strong reference; the key's destructor drops it.
        pthread_setspecific(key, Unmanaged.passRetained(client).toOpaque())
        return client
    }
}

private enum ThreadClientKey {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { pointer in
            #if canImport(Darwin)
            Unmanaged<HTTPClient>.fromOpaque(pointer).release()
            #else
            if let pointer { Unmanaged<HTTPClient>.fromOpaque(pointer).release() }
            #endif
        }
        precondition(created == 0, "pthread_key_create failed: the process is out of thread-specific keys")
        return key
    }()
}
