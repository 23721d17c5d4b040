/// A shortest edit script between two sequences (Myers' O((N+M)·D) algorithm), used for the
/// diffs shown before a write or an edit. Pure.
enum LineDiff {
    /// One step of the script: keep a line, delete one of the old, insert one of the new.
    enum Step: Sendable, Hashable {
        case keep, delete, insert
    }

    /// Above this many differences the script is no longer minimal: the differing middle is
    /// shown as deleted then inserted, which keeps memory (about D² integers) bounded.
    static let maximumCost = 1500

    /// The steps that turn `old` into `new`, in order.
    static func steps<Element: Equatable>(_ old: [Element], _ new: [Element],
                                          maximumCost: Int = maximumCost) -> [Step] {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
            && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let middleOld = Array(old[prefix..<(old.count - suffix)])
        let middleNew = Array(new[prefix..<(new.count - suffix)])
        let middle = myers(middleOld, middleNew, maximumCost: maximumCost)
            ?? Array(repeating: .delete, count: middleOld.count) + Array(repeating: .insert, count: middleNew.count)
        return Array(repeating: .keep, count: prefix) + middle + Array(repeating: .keep, count: suffix)
    }

    /// Myers' greedy forward search with a trace for the backtrack; nil above `maximumCost`.
    private static func myers<Element: Equatable>(_ a: [Element], _ b: [Element], maximumCost: Int) -> [Step]? {
        let n = a.count, m = b.count
        if n == 0 || m == 0 {
            return Array(repeating: .delete, count: n) + Array(repeating: .insert, count: m)
        }
        let offset = n + m + 1
        var frontier = [Int](repeating: 0, count: 2 * offset + 1)
        var trace: [[Int]] = []
        for cost in 0...min(n + m, maximumCost) {
            // Keep the diagonals -cost-1 ... cost+1 as they were before this round.
            trace.append(Array(frontier[(offset - cost - 1)...(offset + cost + 1)]))
            for diagonal in stride(from: -cost, through: cost, by: 2) {
                let down = diagonal == -cost
                    || (diagonal != cost && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
                var x = down ? frontier[offset + diagonal + 1] : frontier[offset + diagonal - 1] + 1
                var y = x - diagonal
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                frontier[offset + diagonal] = x
                if x >= n && y >= m { return backtrack(trace, n: n, m: m) }
            }
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], n: Int, m: Int) -> [Step] {
        var steps: [Step] = []
        var x = n, y = m
        for cost in stride(from: trace.count - 1, through: 0, by: -1) {
            let saved = trace[cost]
            let value = { (diagonal: Int) in saved[diagonal + cost + 1] }
            let diagonal = x - y
            let down = diagonal == -cost || (diagonal != cost && value(diagonal - 1) < value(diagonal + 1))
            let previousDiagonal = down ? diagonal + 1 : diagonal - 1
            let previousX = value(previousDiagonal)
            let previousY = previousX - previousDiagonal
            while x > previousX && y > previousY {
                steps.append(.keep)
                x -= 1
                y -= 1
            }
            if cost > 0 { steps.append(x == previousX ? .insert : .delete) }
            x = previousX
            y = previousY
        }
        return steps.reversed()
    }
}
