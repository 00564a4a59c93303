#![no_main]
//! `dyad::fuzz::jsonl` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::jsonl(data));
