//! The stable fuzz harness: mutated real news (the examples, the VOA stories when
//! `../shared` is present), PETRARCH dictionaries, CoNLL-U and the shipped models, fed to
//! every target of `dyad::fuzz` for a bounded time. A panic or a hang fails the test and
//! leaves the input in `target/fuzz-crashes/`.
//!
//! `DYAD_FUZZ_SECONDS` sets the total time (default 20 s, shared by the targets);
//! `DYAD_FUZZ_SEED` the seed (default fixed, so that CI runs are repeatable). For long
//! runs: `scripts/fuzz.sh SECONDS`.

use dyad::fuzz::{model_seeds, Target, TARGETS};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// xorshift64*: a tiny, seedable generator (no dependency for a test).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What mutations insert: the characters that broke dyad before, and news markup.
const JUNK: &[&str] = &[
    "\"",
    "\u{201C}",
    "\u{201D}",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\u{200B}",
    "\u{202E}",
    "\u{FEFF}",
    "\0",
    "\u{2019}",
    ".",
    ",",
    "\n",
    "\n\n",
    "\u{E9}",
    "\u{4E2D}",
    "\u{1F600}",
    "Mr.",
    " U.S. ",
    "'s",
    " said ",
    " according to ",
    " not ",
    "\u{2014}",
    "\r\n",
    " ",
    "According to",
    "\\",
    "\\u0000",
    "{\"id\":",
    "\"text\":",
    "_",
    "[~",
    "+",
    "$",
    "%",
    "#",
    "\t",
    "1",
    "-",
    ":",
    ";",
];

fn mutate(rng: &mut Rng, seed: &[u8], window: usize) -> Vec<u8> {
    let start = rng.below(seed.len());
    let mut t = seed[start..(start + 1 + rng.below(window)).min(seed.len())].to_vec();
    for _ in 0..rng.below(20) {
        let i = rng.below(t.len() + 1);
        match rng.below(10) {
            0..=4 => {
                let junk = JUNK[rng.below(JUNK.len())]
                    .as_bytes()
                    .repeat(1 + rng.below(3));
                t.splice(i..i, junk);
            }
            5..=6 => {
                let end = (i + 1 + rng.below(10)).min(t.len());
                t.drain(i.min(end)..end);
            }
            7 => {
                // A raw byte: invalid UTF-8 more often than not.
                t.insert(i, rng.next() as u8);
            }
            _ => {
                let from = rng.below(seed.len());
                let piece = &seed[from..(from + 40).min(seed.len())];
                t.splice(i..i, piece.iter().copied());
            }
        }
    }
    t
}

/// Seeds for each target: news for the text targets, dictionary and treebank files for
/// their readers, the models for theirs.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let read = |p: PathBuf| std::fs::read(p).ok();
    let mut news: Vec<Vec<u8>> = ["articles.jsonl", "asean-beijing.txt", "kenya-protests.txt"]
        .iter()
        .filter_map(|f| read(root().join("examples").join(f)))
        .collect();
    news.extend(read(root().join("../shared/corpora/voa/voa_stories.jsonl")));
    let shared = |rel: &str| read(root().join("../shared").join(rel));
    let found: Vec<Vec<u8>> = match target {
        "petrarch" | "verbs" => dictionary_seeds(),
        "conllu" => shared("corpora/ud-english-ewt/en_ewt-ud-dev.conllu")
            .into_iter()
            .collect(),
        "models" => model_seeds().iter().map(|m| m.to_vec()).collect(),
        _ => news,
    };
    if found.is_empty() {
        vec![b"Russia attacked Ukraine on Monday. China met Japan.".to_vec()]
    } else {
        found
    }
}

fn dictionary_seeds() -> Vec<Vec<u8>> {
    let dir = root().join("../shared/peer/petrarch2/dictionaries");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![b"RUSSIA_ [RUS]\n+PRESIDENT [GOV]\n--- ATTACK [190] ---\n".to_vec()];
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|b| b[..b.len().min(200_000)].to_vec())
        .collect()
}

/// Runs `target` on mutated seeds for `budget`; returns the number of inputs.
fn fuzz(target: Target, budget: Duration, rng: &mut Rng) -> usize {
    let (name, run) = target;
    let seeds = seeds(name);
    // Model files are megabytes: mutate them whole, a few bytes at a time.
    let window = if name == "models" {
        usize::MAX / 2
    } else {
        2000
    };
    let started = Instant::now();
    let mut n = 0;
    while n == 0 || started.elapsed() < budget {
        let seed = &seeds[rng.below(seeds.len())];
        let input = if name == "models" {
            let mut m = seed.clone();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(m.len());
                m[i] = rng.next() as u8;
            }
            m.truncate(m.len() - rng.below(2) * rng.below(m.len()));
            m
        } else {
            mutate(rng, seed, window)
        };
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&input));
        let slow = t.elapsed() > Duration::from_secs(10);
        if outcome.is_err() || slow {
            let dir = root().join("target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{name}-{n}.bin"));
            std::fs::write(&file, &input).unwrap();
            let what = if slow { "hang (> 10 s)" } else { "panic" };
            panic!("fuzz target {name}: {what} on {}", file.display());
        }
        n += 1;
    }
    n
}

#[test]
fn every_target_survives_mutated_news() {
    let seconds: f64 = std::env::var("DYAD_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20.0);
    let seed: u64 = std::env::var("DYAD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_D1AD);
    let only = std::env::var("DYAD_FUZZ_TARGET").ok();
    let targets: Vec<Target> = TARGETS
        .iter()
        .copied()
        .filter(|t| only.as_deref().is_none_or(|o| o == t.0))
        .collect();
    let budget = Duration::from_secs_f64(seconds / targets.len() as f64);
    let mut rng = Rng(seed | 1);
    let mut total = 0;
    let started = Instant::now();
    for t in targets {
        let n = fuzz(t, budget, &mut rng);
        eprintln!("fuzz {:<10} {n:>9} inputs", t.0);
        total += n;
    }
    eprintln!(
        "fuzz total      {total:>9} inputs in {:.1} s, 0 crashes, 0 hangs",
        started.elapsed().as_secs_f64()
    );
}
