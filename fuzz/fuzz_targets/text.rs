#![no_main]
//! `dyad::fuzz::text` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::text(data));
