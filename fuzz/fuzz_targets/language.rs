#![no_main]
//! `dyad::fuzz::language` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::language(data));
