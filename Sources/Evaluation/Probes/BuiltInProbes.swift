extension ProbeSet {
    /// The built-in capability probes: 23 probes in 16 categories.
    public static let builtIn = ProbeSet(mode: .replace, probes: [
        // arithmetic (2)
        Probe(id: "arithmetic-multiply", category: "arithmetic",
              prompt: "What is 17 × 24? Give the final number.", expected: "408",
              check: .number(408)),
        Probe(id: "arithmetic-order", category: "arithmetic",
              prompt: "Compute 1000 − 7 × 13 + 36 ÷ 4, following the usual order of operations.", expected: "918",
              check: .number(918)),
        // algebra (2)
        Probe(id: "algebra-linear", category: "algebra",
              prompt: "Solve for x: 3x + 7 = 25.", expected: "x = 6",
              check: .number(6)),
        Probe(id: "algebra-system", category: "algebra",
              prompt: "If 2a + b = 11 and a − b = 1, what is the value of a?", expected: "a = 4",
              check: .number(4)),
        // probability (1)
        Probe(id: "probability-coins", category: "probability",
              prompt: "Two fair coins are flipped. What is the probability that both land heads?",
              expected: "1/4 (0.25)",
              check: .anyOf([
                  .regex(#"\b1\s*/\s*4\b"#), .regex(#"(?<![\d.])0?\.25\b"#), .regex(#"\b25\s*%"#),
                  .regex(#"\bone (quarter|in four|fourth)\b"#),
              ])),
        // geometry (1)
        Probe(id: "geometry-rectangle", category: "geometry",
              prompt: "A rectangle has a perimeter of 30 cm and one side of 5 cm. What is its area in square centimetres?",
              expected: "50 cm²",
              check: .number(50)),
        // sequences (1)
        Probe(id: "sequences-next", category: "sequences",
              prompt: "What number comes next in the sequence 2, 6, 12, 20, 30, …?", expected: "42",
              check: .number(42)),
        // percentages (1)
        Probe(id: "percentages-up-down", category: "percentages",
              prompt: "A price of $80 is raised by 25%, and then the new price is reduced by 20%. What is the final price?",
              expected: "$80",
              check: .number(80)),
        // deduction (3)
        Probe(id: "deduction-syllogism", category: "deduction",
              prompt: "All bloops are razzies and all razzies are lazzies. Are all bloops definitely lazzies? Answer yes or no, then explain briefly.",
              expected: "Yes",
              check: .allOf([.regex(#"\byes\b"#), .notEarly(pattern: #"\bno\b"#, within: 30)])),
        Probe(id: "deduction-ordering", category: "deduction",
              prompt: "Alice is taller than Bob. Carol is shorter than Bob. List the three from tallest to shortest.",
              expected: "Alice, Bob, Carol",
              check: .ordered(["Alice", "Bob", "Carol"])),
        Probe(id: "deduction-modus-tollens", category: "deduction",
              prompt: "If it rains, the ground gets wet. The ground is not wet. Did it rain? Answer yes or no, then explain briefly.",
              expected: "No",
              check: .allOf([.regex(#"\bno\b|\bdid not\b|\bdidn't\b"#), .notEarly(pattern: #"\byes\b"#, within: 30)])),
        // puzzles (1)
        Probe(id: "puzzles-bat-ball", category: "puzzles",
              prompt: "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?",
              expected: "5 cents ($0.05)",
              check: .allOf([
                  .anyOf([.regex(#"\b5\s*(cents|¢|c)\b"#), .regex(#"(?<!\d)\$?0?\.05\b"#), .regex(#"\bfive cents\b"#)]),
                  .notEarly(pattern: #"\b10\s*cents\b|(?<!\d)\$?0?\.10\b"#, within: 40),
              ])),
        // sets (1)
        Probe(id: "sets-neither", category: "sets",
              prompt: "In a class of 30 students, 18 play football, 12 play chess, and 5 play both. How many students play neither?",
              expected: "5",
              check: .number(5)),
        // analogy (1)
        Probe(id: "analogy-home", category: "analogy",
              prompt: "Complete the analogy: bird is to nest as bee is to ___.", expected: "hive",
              check: .regex(#"\bhive\b"#)),
        // causal (1)
        Probe(id: "causal-confounder", category: "causal",
              prompt: "Ice cream sales and drowning deaths both rise in summer. Does eating ice cream cause drowning? Answer briefly and name the likely common cause.",
              expected: "No; hot weather drives both (more swimming)",
              check: .allOf([
                  .regex(#"\bno\b|\bnot\b|n't\b"#),
                  .regex(#"weather|heat|\bhot\b|temperature|warm|swim"#),
                  .notEarly(pattern: #"\byes\b"#, within: 20),
              ])),
        // spatial (1)
        Probe(id: "spatial-turns", category: "spatial",
              prompt: "You are facing north. You turn 90 degrees to your right, then turn around 180 degrees. Which direction are you facing now?",
              expected: "West",
              check: .allOf([.regex(#"\bwest\b"#), .not(.regex(#"\b(now|finally|end up)\b[^.]*\b(north|east|south)\b"#))])),
        // temporal (1)
        Probe(id: "temporal-weekday", category: "temporal",
              prompt: "If today is Wednesday, what day of the week will it be 10 days from now?", expected: "Saturday",
              check: .regex(#"\bsaturday\b"#)),
        // pattern (1)
        Probe(id: "pattern-letters", category: "pattern",
              prompt: "What letter comes next in the sequence A, C, F, J, O, …?", expected: "U",
              check: .regex(#"(?-i:\bU\b)|\bletter u\b|\"u\"|'u'"#)),
        // code (3)
        Probe(id: "code-comprehension", category: "code",
              prompt: "What does this Python code print?\n\nprint(len([x for x in range(10) if x % 3 == 0]))",
              expected: "4",
              check: .number(4)),
        Probe(id: "code-aliasing", category: "code",
              prompt: "What does this Python code print?\n\na = [1, 2, 3]\nb = a\nb.append(4)\nprint(a)",
              expected: "[1, 2, 3, 4]",
              check: .regex(#"\[\s*1\s*,\s*2\s*,\s*3\s*,\s*4\s*\]"#)),
        Probe(id: "code-complexity", category: "code",
              prompt: "What is the worst-case time complexity of binary search on a sorted array of n elements? Use big-O notation.",
              expected: "O(log n)",
              check: .anyOf([.regex(#"O\s*\(\s*log\s*\(?\s*n\s*\)?\s*\)"#), .regex(#"O\s*\(\s*lg\s*n\s*\)"#)])),
        // word (2)
        Probe(id: "word-letter-count", category: "word",
              prompt: "How many times does the letter 'r' appear in the word 'strawberry'?", expected: "3",
              check: .anyOf([.number(3), .regex(#"\bthree\b"#)])),
        Probe(id: "word-reverse", category: "word",
              prompt: "Write the word 'stressed' spelled backwards.", expected: "desserts",
              check: .regex(#"\bdesserts\b"#)),
    ])
}
