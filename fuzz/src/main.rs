//! `covenant-fuzz`: a fuzz harness for covenant that runs on stable Rust.
//!
//! ```text
//! covenant-fuzz run [--seconds N] [--seed S] [--timeout-ms T] [--memory-mb M] [--out DIR]
//! covenant-fuzz exec FILE
//! ```
//!
//! `run` mutates the seed files (models/games, models/coop, the treaty models in models/,
//! tests/data, and every crasher saved before) and generates small random games, and hands each
//! input to `exec` in a child process under an address-space limit (`ulimit -v`, so an
//! allocation beyond it fails and aborts the child instead of exhausting the machine) and a
//! wall-clock timeout (the parent kills the child). A child that panics, aborts or times out is
//! a crasher: the input is saved to `--out` (default `tests/data/fuzz/`) with a `.txt` note of
//! what happened, and `tests/fuzz_regressions.rs` replays every file there. `exec` parses one
//! file with every parser for its extension and runs every solver that applies, asserting the
//! certificates (`tests/common/exercise.rs`).
//!
//! Mutation is structure-aware: inputs are split into tokens (numbers, strings, words,
//! punctuation, whitespace) and mutated token-wise (numbers replaced by boundary values,
//! spans deleted, duplicated, swapped, spliced in from another seed), and JSON inputs are also
//! mutated as trees (values replaced, keys dropped, array elements duplicated).

#[path = "../../tests/common/exercise.rs"]
#[allow(dead_code)]
mod exercise;

use exercise::Format;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Largest input the harness writes (mutations that grow past it are cut).
const MAX_INPUT: usize = 64 * 1024;

/// Largest seed file read (the 100x100 reference games are left out: too slow per input).
const MAX_SEED: u64 = 16 * 1024;

struct Options {
    seconds: u64,
    seed: u64,
    timeout: Duration,
    memory_mb: u64,
    out: PathBuf,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: covenant-fuzz run [--seconds N] [--seed S] [--timeout-ms T] [--memory-mb M] \
         [--out DIR]\n       covenant-fuzz exec FILE"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("exec") if args.len() == 2 => exec(Path::new(&args[1])),
        Some("run") => match parse_options(&args[1..]) {
            Ok(o) => run(&o),
            Err(m) => {
                eprintln!("covenant-fuzz: {m}");
                usage()
            }
        },
        _ => usage(),
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ lives inside the repository")
        .to_path_buf()
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        seconds: 60,
        seed: 1,
        timeout: Duration::from_millis(5000),
        memory_mb: 2048,
        out: repo_root().join("tests/data/fuzz"),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: `{value}` is not a non-negative integer"))
        };
        match flag.as_str() {
            "--seconds" => o.seconds = num()?,
            "--seed" => o.seed = num()?,
            "--timeout-ms" => o.timeout = Duration::from_millis(num()?),
            "--memory-mb" => o.memory_mb = num()?,
            "--out" => o.out = PathBuf::from(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

/// The child: one input through every parser and solver.
fn exec(path: &Path) -> ExitCode {
    let Some(format) = Format::of(path) else {
        eprintln!(
            "covenant-fuzz exec: {}: not .nfg, .json or .toml",
            path.display()
        );
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("covenant-fuzz exec: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    exercise::exercise_text(format, &String::from_utf8_lossy(&bytes));
    ExitCode::SUCCESS
}

/// A seed file: its format and text.
struct Seed {
    format: Format,
    text: String,
}

fn seeds(extra: &Path) -> Vec<Seed> {
    let root = repo_root();
    let dirs = [
        root.join("models"),
        root.join("models/games"),
        root.join("models/coop"),
        root.join("tests/data/noncoop"),
        root.join("tests/data/coop"),
        extra.to_path_buf(),
    ];
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let small = std::fs::metadata(&p).is_ok_and(|m| m.is_file() && m.len() <= MAX_SEED);
            if let (Some(format), true) = (Format::of(&p), small) {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(Seed { format, text });
                }
            }
        }
    }
    out
}

/// Boundary values a number token is replaced by.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "3",
    "0.5",
    "0.3",
    "1/3",
    "-7/0",
    "0/0",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "1e-300",
    "1e999",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "9007199254740993",
    "18446744073709551616",
    "1000000000",
    "1000000000000000000",
    "4294967296",
    "64",
    "65",
    "125",
    "31",
    "30",
    "1.",
    "1e",
    "-",
    "+1",
];

/// Tokens inserted at random.
const PUNCT: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "=", "\"", "\n", " ", "\"x\"", "\"\"", "\u{feff}", "#", "/",
    "[[", "]]", "true", "null",
];

fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
        } else if c.is_ascii_digit()
            || ((c == '-' || c == '+') && i + 1 < chars.len() && chars[i + 1].is_ascii_digit())
        {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || ".+-/".contains(chars[i]))
            {
                i += 1;
            }
        } else if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

fn is_number(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
}

fn random_number(rng: &mut SmallRng) -> String {
    match rng.random_range(0..4) {
        0 => NUMBERS[rng.random_range(0..NUMBERS.len())].to_string(),
        1 => rng.random_range(-3i64..=3).to_string(),
        2 => rng.random_range(-100i64..=100).to_string(),
        _ => format!(
            "{:e}",
            rng.random::<f64>() * 10f64.powi(rng.random_range(-320..=308))
        ),
    }
}

/// One token-level mutation.
fn mutate_tokens(tokens: &mut Vec<String>, other: &[String], rng: &mut SmallRng) {
    if tokens.is_empty() {
        tokens.push(random_number(rng));
        return;
    }
    let len = tokens.len();
    let i = rng.random_range(0..len);
    match rng.random_range(0..9) {
        0 | 1 => {
            // Replace a number (or, failing that, any token) by a boundary value.
            let numbers: Vec<usize> = (0..len).filter(|&k| is_number(&tokens[k])).collect();
            let k = if numbers.is_empty() {
                i
            } else {
                numbers[rng.random_range(0..numbers.len())]
            };
            tokens[k] = random_number(rng);
        }
        2 => {
            let j = (i + rng.random_range(1..=4)).min(len);
            tokens.drain(i..j);
        }
        3 => {
            let j = (i + rng.random_range(1..=8)).min(len);
            let copy: Vec<String> = tokens[i..j].to_vec();
            let at = rng.random_range(0..=tokens.len());
            for (k, t) in copy.into_iter().enumerate() {
                tokens.insert(at + k, t);
            }
        }
        4 => tokens.insert(i, PUNCT[rng.random_range(0..PUNCT.len())].to_string()),
        5 => {
            let j = rng.random_range(0..len);
            tokens.swap(i, j);
        }
        6 if !other.is_empty() => {
            let a = rng.random_range(0..other.len());
            let b = (a + rng.random_range(1..=16)).min(other.len());
            for (k, t) in other[a..b].iter().enumerate() {
                tokens.insert(i + k, t.clone());
            }
        }
        7 => tokens.truncate(i.max(1)),
        _ => {
            // Repeat one token many times: long names, deep nesting, big headers.
            let n = rng.random_range(2..200);
            let t = tokens[i].clone();
            for _ in 0..n {
                tokens.insert(i, t.clone());
            }
        }
    }
}

/// One tree-level mutation of a JSON document, at a random depth.
fn mutate_json(node: &mut serde_json::Value, rng: &mut SmallRng) {
    use serde_json::Value;
    if rng.random_range(0..3) != 0 {
        match node {
            Value::Array(a) if !a.is_empty() => {
                let k = rng.random_range(0..a.len());
                return mutate_json(&mut a[k], rng);
            }
            Value::Object(o) if !o.is_empty() => {
                let k = rng.random_range(0..o.len());
                if let Some(child) = o.values_mut().nth(k) {
                    return mutate_json(child, rng);
                }
            }
            _ => {}
        }
    }
    match (rng.random_range(0..5), node) {
        (0, Value::Array(a)) if !a.is_empty() => {
            let k = rng.random_range(0..a.len());
            let copy = a[k].clone();
            a.insert(k, copy);
        }
        (1, Value::Array(a)) if !a.is_empty() => {
            a.remove(rng.random_range(0..a.len()));
        }
        (2, Value::Object(o)) if !o.is_empty() => {
            let k = rng.random_range(0..o.len());
            if let Some(key) = o.keys().nth(k).cloned() {
                o.remove(&key);
            }
        }
        (3, n) => {
            *n = match rng.random_range(0..5) {
                0 => Value::Null,
                1 => Value::from(rng.random_range(-3i64..=70)),
                2 => Value::from(vec![Value::from(1); rng.random_range(0..5)]),
                3 => Value::from("x"),
                _ => Value::from(rng.random::<f64>() * 10f64.powi(rng.random_range(-300..=300))),
            }
        }
        (_, n) => {
            if n.is_number() {
                *n = serde_json::from_str(&random_number(rng)).unwrap_or(Value::from(0));
            }
        }
    }
}

/// A small random game as file text: a bimatrix or 3-player JSON game, a TU game or a voting
/// game. Payoffs mix small integers (ties, degeneracy) with boundary magnitudes.
fn random_game(rng: &mut SmallRng) -> (Format, String) {
    let payoff = |rng: &mut SmallRng| -> String {
        match rng.random_range(0..10) {
            0 => ["1e308", "-1e308", "1e-300", "0.1", "1e15"][rng.random_range(0..5)].to_string(),
            1..=3 => format!("{}", rng.random::<f64>() * 10.0),
            _ => rng.random_range(-2i64..=3).to_string(),
        }
    };
    match rng.random_range(0..4) {
        0 | 1 => {
            let (m, n) = (rng.random_range(1..=5), rng.random_range(1..=5));
            let mat = |rng: &mut SmallRng| {
                let rows: Vec<String> = (0..m)
                    .map(|_| {
                        let r: Vec<String> = (0..n).map(|_| payoff(rng)).collect();
                        format!("[{}]", r.join(", "))
                    })
                    .collect();
                format!("[{}]", rows.join(", "))
            };
            let a = mat(rng);
            let b = mat(rng);
            (Format::Json, format!("{{\"A\": {a}, \"B\": {b}}}"))
        }
        2 => {
            let n = rng.random_range(1..=6);
            let v: Vec<String> = (0..1usize << n)
                .map(|s| if s == 0 { "0".to_string() } else { payoff(rng) })
                .collect();
            (
                Format::Json,
                format!("{{\"n\": {n}, \"v\": [{}]}}", v.join(", ")),
            )
        }
        _ => {
            let n = rng.random_range(1..=12);
            let w: Vec<u64> = (0..n).map(|_| rng.random_range(0..20)).collect();
            let total: u64 = w.iter().sum::<u64>().max(1);
            let q = rng.random_range(1..=total);
            let list: Vec<String> = w.iter().map(u64::to_string).collect();
            (
                Format::Json,
                format!("{{\"quota\": {q}, \"weights\": [{}]}}", list.join(", ")),
            )
        }
    }
}

/// FNV-1a, for stable crasher file names.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// How one child run ended.
enum Outcome {
    Ok,
    Crash(String),
    Timeout,
}

fn run_child(exe: &Path, input: &Path, log: &Path, o: &Options) -> std::io::Result<Outcome> {
    let log_file = std::fs::File::create(log)?;
    // `ulimit -v` (KiB) bounds the child's address space: an allocation beyond it fails, and
    // Rust aborts on allocation failure, which the parent records as a crash.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v \"$1\" && exec \"$2\" exec \"$3\"")
        .arg("sh")
        .arg((o.memory_mb * 1024).to_string())
        .arg(exe)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .env("RUST_BACKTRACE", "0")
        .spawn()?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(if status.success() {
                Outcome::Ok
            } else {
                let log = std::fs::read_to_string(log).unwrap_or_default();
                let tail: String = log.lines().rev().take(12).collect::<Vec<_>>().join("\n");
                Outcome::Crash(format!("{status}\n{tail}"))
            });
        }
        if start.elapsed() > o.timeout {
            child.kill()?;
            child.wait()?;
            return Ok(Outcome::Timeout);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn run(o: &Options) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("covenant-fuzz: cannot find its own executable: {e}");
            return ExitCode::from(2);
        }
    };
    let seeds = seeds(&o.out);
    let tokenized: Vec<Vec<String>> = seeds.iter().map(|s| tokenize(&s.text)).collect();
    let work = std::env::temp_dir().join(format!("covenant-fuzz-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&work).and(std::fs::create_dir_all(&o.out)) {
        eprintln!("covenant-fuzz: {e}");
        return ExitCode::from(2);
    }
    eprintln!(
        "covenant-fuzz: seed {}, {} seed files, {} s, {} ms and {} MiB per input, crashers to {}",
        o.seed,
        seeds.len(),
        o.seconds,
        o.timeout.as_millis(),
        o.memory_mb,
        o.out.display()
    );
    let mut rng = SmallRng::seed_from_u64(o.seed);
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let (mut runs, mut crashes, mut timeouts) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let (format, text) = if seeds.is_empty() || rng.random_range(0..4) == 0 {
            random_game(&mut rng)
        } else {
            let k = rng.random_range(0..seeds.len());
            let other = &tokenized[rng.random_range(0..tokenized.len())];
            let json = (seeds[k].format == Format::Json && rng.random_bool(0.5))
                .then(|| serde_json::from_str::<serde_json::Value>(&seeds[k].text).ok())
                .flatten();
            let text = if let Some(mut v) = json {
                for _ in 0..rng.random_range(1..=3) {
                    mutate_json(&mut v, &mut rng);
                }
                v.to_string()
            } else {
                let mut tokens = tokenized[k].clone();
                for _ in 0..rng.random_range(1..=4) {
                    mutate_tokens(&mut tokens, other, &mut rng);
                }
                tokens.concat()
            };
            (seeds[k].format, text)
        };
        let mut text = text;
        if text.len() > MAX_INPUT {
            let mut cut = MAX_INPUT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        let input = work.join(format!("input.{}", format.ext()));
        let log = work.join("stderr.txt");
        if let Err(e) = std::fs::write(&input, &text) {
            eprintln!("covenant-fuzz: {e}");
            return ExitCode::from(2);
        }
        runs += 1;
        let outcome = match run_child(&exe, &input, &log, o) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("covenant-fuzz: cannot run a child: {e}");
                return ExitCode::from(2);
            }
        };
        let what = match outcome {
            Outcome::Ok => continue,
            Outcome::Crash(why) => {
                crashes += 1;
                why
            }
            Outcome::Timeout => {
                timeouts += 1;
                format!("timeout: still running after {} ms", o.timeout.as_millis())
            }
        };
        let name = format!("crash-{:016x}", fnv(text.as_bytes()));
        let saved = o.out.join(format!("{name}.{}", format.ext()));
        let note = o.out.join(format!("{name}.txt"));
        let _ = std::fs::write(&saved, &text);
        let _ = std::fs::write(&note, format!("{what}\n"));
        eprintln!(
            "covenant-fuzz: {} -> {}",
            saved.display(),
            what.lines().next().unwrap_or("")
        );
    }
    let _ = std::fs::remove_dir_all(&work);
    eprintln!(
        "covenant-fuzz: {runs} inputs, {crashes} crashes, {timeouts} timeouts (seed {})",
        o.seed
    );
    if crashes + timeouts > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
