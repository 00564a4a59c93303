#!/usr/bin/env bash
# Fuzzes every reader and stage of dyad for SECONDS in all (default 60), shared equally by
# the targets, and prints the number of inputs each ran.
#
#   scripts/fuzz.sh SECONDS            cargo-fuzz (libFuzzer) when `cargo +nightly fuzz`
#                                      is installed, else the stable harness
#   FUZZ_ENGINE=stable scripts/fuzz.sh SECONDS    always the stable harness
#
# Crashes: fuzz/artifacts/TARGET/ (cargo-fuzz) or target/fuzz-crashes/ (stable); replay one
# with `cargo +nightly fuzz run TARGET FILE`. Runs niced: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
targets=(jsonl text tokenizer language actors coder petrarch verbs conllu models)

stable() {
    DYAD_FUZZ_SECONDS="$seconds" nice -n 10 \
        cargo test --release -p dyad --test fuzz -- --nocapture 2>&1 | grep -E '^fuzz |panicked|FAILED'
}

# A corpus per target seeded from the examples, the VOA stories, the PETRARCH
# dictionaries, the treebank and the models (when ../shared is present).
seed() {
    local t="$1" dir="fuzz/corpus/$1"
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    case "$t" in
        petrarch | verbs) cp ../shared/peer/petrarch2/dictionaries/*.txt "$dir/" 2>/dev/null || true ;;
        conllu) head -c 100000 ../shared/corpora/ud-english-ewt/en_ewt-ud-dev.conllu >"$dir/dev" 2>/dev/null || true ;;
        models) cp crates/dyad-lang/models/lemma.bin "$dir/" ;;
        *)
            cp examples/*.txt "$dir/"
            if [ -f ../shared/corpora/voa/voa_stories.jsonl ]; then
                split -l 1 -a 4 ../shared/corpora/voa/voa_stories.jsonl "$dir/voa-"
            fi
            ;;
    esac
    [ -n "$(ls -A "$dir")" ] || cp examples/asean-beijing.txt "$dir/"
}

if [ "${FUZZ_ENGINE:-}" = stable ] || ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: stable harness (cargo-fuzz not installed), $seconds s" >&2
    stable
    exit
fi
per=$((seconds / ${#targets[@]}))
[ "$per" -ge 1 ] || per=1
total=0
for t in "${targets[@]}"; do
    seed "$t"
    log="fuzz/$t.log"
    nice -n 10 cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$per" -timeout=10 -rss_limit_mb=4096 -max_len=20000 >"$log" 2>&1 || {
        echo "fuzz $t: FAILED, see $log and fuzz/artifacts/$t/" >&2
        exit 1
    }
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo 0)
    printf 'fuzz %-10s %9s inputs\n' "$t" "$runs"
    total=$((total + runs))
done
printf 'fuzz total      %9s inputs in %s s, 0 crashes, 0 hangs\n' "$total" "$seconds"
