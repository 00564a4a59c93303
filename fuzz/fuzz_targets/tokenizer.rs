#![no_main]
//! `dyad::fuzz::tokenizer` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::tokenizer(data));
