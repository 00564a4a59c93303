#![no_main]
//! `dyad::fuzz::coder` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::coder(data));
