#![no_main]
//! `dyad::fuzz::models` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::models(data));
