import Foundation
import Testing
@testable import Statistics

/// pass@k against values computed by hand from 1 − C(n−c, k) / C(n, k).
@Suite struct PassAtKTests {
    @Test func passAtOneIsTheFractionCorrect() {
        #expect(close(PassAtK.estimate(samples: 5, correct: 2, k: 1), 0.4))
        #expect(close(PassAtK.estimate(samples: 4, correct: 0, k: 1), 0))
        #expect(close(PassAtK.estimate(samples: 4, correct: 4, k: 1), 1))
    }

    @Test func handComputedValues() {
        // n 5, c 2, k 2: 1 − C(3,2)/C(5,2) = 1 − 3/10.
        #expect(close(PassAtK.estimate(samples: 5, correct: 2, k: 2), 0.7))
        // n 10, c 3, k 5: 1 − C(7,5)/C(10,5) = 1 − 21/252.
        #expect(close(PassAtK.estimate(samples: 10, correct: 3, k: 5), 1 - 21.0 / 252))
        // n 4, c 1, k 4: one correct among all four drawn: 1.
        #expect(PassAtK.estimate(samples: 4, correct: 1, k: 4) == 1)
        // n 2, c 1, k 2 (ml probe --samples 2): 1 − C(1,2)/C(2,2) = 1 − 0.
        #expect(PassAtK.estimate(samples: 2, correct: 1, k: 2) == 1)
        // n 3, c 0, k 3: nothing correct, nothing passes.
        #expect(PassAtK.estimate(samples: 3, correct: 0, k: 3) == 0)
    }

    @Test func largeSampleCountsDoNotOverflow() {
        // n 200, c 1, k 100: 1 − C(199,100)/C(200,100) = 1 − 100/200.
        #expect(close(PassAtK.estimate(samples: 200, correct: 1, k: 100), 0.5))
    }

    @Test func undefinedArgumentsAreNil() {
        #expect(PassAtK.estimate(samples: 0, correct: 0, k: 1) == nil)
        #expect(PassAtK.estimate(samples: 3, correct: 1, k: 0) == nil)
        #expect(PassAtK.estimate(samples: 3, correct: 1, k: 4) == nil)
        #expect(PassAtK.estimate(samples: 3, correct: 4, k: 1) == nil)
    }
}
