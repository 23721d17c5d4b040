import CShims
import Glibc
import Testing

/// Every thread has an alternate signal stack (CShims/signal_stack.c, D58), so the
/// terminal guard's crash handler can run when a stack overflow raises SIGSEGV. (Here
/// because this test target links CShims; the end-to-end tests crash the real app.)
@Suite(.timeLimit(.minutes(2))) struct SignalStackTests {
    @Test func aThreadStartedWithPthreadCreateHasOne() {
        var thread = pthread_t()
        var size: Int = 0
        let result = withUnsafeMutablePointer(to: &size) { pointer in
            let created = pthread_create(&thread, nil, { raw in
                raw?.assumingMemoryBound(to: Int.self).pointee = sc_signal_stack_size()
                return nil
            }, pointer)
            if created == 0 { pthread_join(thread, nil) }
            return created
        }
        #expect(result == 0)
        #expect(size == 64 * 1024)
    }

    @Test func swiftConcurrencyThreadsHaveOne() async {
        let sizes = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { sc_signal_stack_size() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sizes == [65_536, 65_536, 65_536, 65_536])
    }

    @Test func installingTwiceKeepsTheFirst() {
        #expect(sc_install_signal_stack() == 0)
        let size = sc_signal_stack_size()
        #expect(sc_install_signal_stack() == 0)
        #expect(sc_signal_stack_size() == size && size > 0)
    }
}
