//! The text layer: tokens and sentences with byte offsets into the original text.
//!
//! Rule-based and dictionary-free by design: news style (abbreviations such as "Gen." and
//! "U.S.", initials, decimals, curly quotes, possessives) is handled by a handful of rules,
//! and the abbreviation lists below are the only vocabulary.

use dyad_core::{Doc, Sentence, Span, Stage, Token, TokenKind};

/// Abbreviations that keep their period and never end a sentence: they precede a name or a
/// number ("Gen. Mahamat", "Jan. 5", "No. 10").
const TITLE_ABBREVIATIONS: &[&str] = &[
    "adm", "amb", "apr", "aug", "capt", "cmdr", "col", "dec", "dr", "feb", "fr", "gen", "gov",
    "hon", "jan", "jul", "jun", "lt", "maj", "mar", "messrs", "mme", "mr", "mrs", "ms", "mt",
    "nov", "oct", "pres", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "supt",
];

/// Abbreviations that keep their period but may end a sentence ("... Ltd. The firm ...").
const OTHER_ABBREVIATIONS: &[&str] = &[
    "approx", "co", "corp", "dept", "est", "etc", "inc", "jr", "ltd", "univ", "vs",
];

/// Words that typically open a sentence; after an abbreviation such as "U.S." they are taken
/// as evidence of a sentence break ("... in the U.S. The talks ..."), whereas other capitalised
/// words are not ("the U.S. State Department").
const SENTENCE_OPENERS: &[&str] = &[
    "a",
    "after",
    "an",
    "and",
    "as",
    "at",
    "but",
    "during",
    "for",
    "he",
    "her",
    "his",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "meanwhile",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "under",
    "we",
    "what",
    "when",
    "while",
    "with",
    "yet",
];

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{00AB}'
            | '\u{00BB}'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{2018}' | '\u{00AB}' | '(' | '[' | '\''
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201D}' | '\u{2019}' | '\u{00BB}' | ')' | ']' | '\''
    )
}

/// Characters that print nothing (NUL and other controls, zero-width spaces and joiners,
/// direction marks, the byte-order mark): between words they separate like a space, so that
/// they neither make tokens of their own nor hide a sentence break.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// A token of symbols only (emoji, arrows, dingbats): after a full stop it does not keep
/// the sentence going ("... on Monday. 😀 China met Japan.").
fn is_symbol(t: &str) -> bool {
    t.chars().all(|c| {
        c >= '\u{2190}' && !c.is_alphanumeric() && !is_quote(c) && !is_opening(c) && !is_closing(c)
    })
}

/// Splits text into tokens. Each token is a byte span with a coarse kind.
pub fn tokenize(text: &str) -> Vec<(Span, TokenKind)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| -> Option<char> { chars.get(i).map(|&(_, c)| c) };
    let byte = |i: usize| -> usize { chars.get(i).map_or(text.len(), |&(b, _)| b) };
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() || is_invisible(c) {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let (end, kind, split) = scan_word(text, &chars, i);
            match split {
                // "didn't" → "did" + "n't"; "Kenya's" → "Kenya" + "'s".
                Some(mid) => {
                    out.push((Span::new(byte(i), byte(mid)), TokenKind::Word));
                    out.push((Span::new(byte(mid), byte(end)), TokenKind::Word));
                }
                None => out.push((Span::new(byte(i), byte(end)), kind)),
            }
            i = end;
            continue;
        }
        if is_apostrophe(c) {
            // A clitic after a word that ended in a quote-like char: "students' union".
            if let Some(end) = clitic_end(&chars, i) {
                out.push((Span::new(byte(i), byte(end)), TokenKind::Word));
                i = end;
                continue;
            }
        }
        if is_quote(c) {
            out.push((Span::new(byte(i), byte(i + 1)), TokenKind::Quote));
            i += 1;
            continue;
        }
        // Runs of periods (ellipsis) and dashes stay one token.
        let mut end = i + 1;
        if c == '.' || c == '-' {
            while at(end) == Some(c) {
                end += 1;
            }
        }
        out.push((Span::new(byte(i), byte(end)), TokenKind::Punct));
        i = end;
    }
    out
}

/// The end of a clitic ('s, 're, 've, 'll, 'd, 'm) starting at an apostrophe, if any.
fn clitic_end(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let word_end = |j: usize| chars.get(j).is_none_or(|&(_, c)| !c.is_alphanumeric());
    let lower = |j: usize| chars.get(j).map(|&(_, c)| c.to_ascii_lowercase());
    match (lower(i + 1), lower(i + 2)) {
        (Some('s' | 'd' | 'm'), _) if word_end(i + 2) => Some(i + 2),
        (Some('r'), Some('e')) | (Some('v'), Some('e')) | (Some('l'), Some('l'))
            if word_end(i + 3) =>
        {
            Some(i + 3)
        }
        _ => None,
    }
}

/// Scans a word or number starting at char `i`. Returns its end, its kind and, for a word
/// carrying a clitic, where the clitic starts.
fn scan_word(text: &str, chars: &[(usize, char)], i: usize) -> (usize, TokenKind, Option<usize>) {
    let n = chars.len();
    let at = |j: usize| -> Option<char> { chars.get(j).map(|&(_, c)| c) };
    let mut j = i;
    while j < n && chars[j].1.is_alphanumeric() {
        j += 1;
    }
    loop {
        // A zero-width character inside a word ("Rus\u{200B}sia") keeps it one word.
        if at(j).is_some_and(is_invisible)
            && !at(j).is_some_and(char::is_control)
            && at(j + 1).is_some_and(char::is_alphanumeric)
        {
            j += 1;
            while j < n && chars[j].1.is_alphanumeric() {
                j += 1;
            }
            continue;
        }
        match at(j) {
            // Decimals and thousands: 1.5, 3,000, 12:30.
            Some('.' | ',' | ':')
                if at(j - 1).is_some_and(|c| c.is_ascii_digit())
                    && at(j + 1).is_some_and(|c| c.is_ascii_digit()) =>
            {
                j += 1;
                while j < n && chars[j].1.is_ascii_digit() {
                    j += 1;
                }
            }
            // Hyphenated compounds: African Union-led, 30-year-old.
            Some('-' | '\u{2010}' | '\u{2011}')
                if at(j + 1).is_some_and(|c| c.is_alphanumeric()) =>
            {
                j += 1;
                while j < n && chars[j].1.is_alphanumeric() {
                    j += 1;
                }
            }
            // Internal apostrophe in a name: O'Brien, Côte d'Ivoire.
            Some(c)
                if is_apostrophe(c)
                    && at(j + 1).is_some_and(|c| c.is_alphabetic())
                    && clitic_end(chars, j).is_none()
                    && !(at(j - 1) == Some('n') && matches!(at(j + 1), Some('t' | 'T'))) =>
            {
                j += 1;
                while j < n && chars[j].1.is_alphabetic() {
                    j += 1;
                }
            }
            _ => break,
        }
    }
    let word: String = chars[i..j].iter().map(|&(_, c)| c).collect();
    let kind = if word.starts_with(|c: char| c.is_ascii_digit()) {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    // Contraction "n't": split before the n.
    if j + 1 < n
        && j - i >= 2
        && at(j - 1).is_some_and(|c| c.eq_ignore_ascii_case(&'n'))
        && at(j).is_some_and(is_apostrophe)
        && at(j + 1).is_some_and(|c| c.eq_ignore_ascii_case(&'t'))
        && at(j + 2).is_none_or(|c| !c.is_alphanumeric())
    {
        // "can't" keeps "ca" + "n't", as treebanks do.
        return (j + 2, kind, Some(j - 1));
    }
    if let Some(end) = at(j)
        .filter(|&c| is_apostrophe(c))
        .and_then(|_| clitic_end(chars, j))
    {
        return (end, kind, Some(j));
    }
    // Periods that belong to the word: U.S., a.m., initials, listed abbreviations.
    if at(j) == Some('.') {
        let mut k = j;
        // Letter-dot sequences: U.S., U.N., a.m.
        if j - i == 1 {
            while at(k) == Some('.')
                && at(k + 1).is_some_and(|c| c.is_alphabetic())
                && at(k + 2) == Some('.')
            {
                k += 2;
            }
            return (k + 1, kind, None);
        }
        let lower = word.to_lowercase();
        // "No. 10" but not "No." at the end of a quote.
        if lower == "no" && at(j + 1) == Some(' ') && at(j + 2).is_some_and(|c| c.is_ascii_digit())
        {
            return (j + 1, kind, None);
        }
        if TITLE_ABBREVIATIONS.contains(&lower.as_str())
            || OTHER_ABBREVIATIONS.contains(&lower.as_str())
        {
            return (j + 1, kind, None);
        }
    }
    let _ = text;
    (j, kind, None)
}

/// How a word token ending in a period should be treated at a possible sentence end.
fn abbreviation_class(token: &str) -> Option<bool> {
    let stem = token.strip_suffix('.')?;
    let lower = stem.to_lowercase();
    if TITLE_ABBREVIATIONS.contains(&lower.as_str()) {
        return Some(false);
    }
    // A single capital initial ("S. Jaishankar") never ends a sentence either.
    if stem.chars().count() == 1 && stem.chars().all(|c| c.is_uppercase()) {
        return Some(false);
    }
    Some(true)
}

/// Splits tokens into sentences. Returns token index ranges. In a text without capitals
/// ([`dyad_core::is_caseless`]) a word in any case may open a sentence.
pub fn sentences(text: &str, tokens: &[(Span, TokenKind)]) -> Vec<std::ops::Range<usize>> {
    let caseless = dyad_core::is_caseless(text);
    let opens = |t: &str| {
        starts_sentence(t) || (caseless && t.chars().next().is_some_and(char::is_alphabetic))
    };
    let mut out = Vec::new();
    let mut start = 0;
    let tok = |i: usize| &text[tokens[i].0.range()];
    let mut i = 0;
    while i < tokens.len() {
        let t = tok(i);
        let mut end_here = false;
        let mut last = i;
        // A wire dateline ("BEIJING, Nov. 20 (Reuters) —") is not part of the first
        // sentence: it ends at its dash when the sentence opened with a capitalised place.
        if matches!(t, "\u{2014}" | "--" | "-")
            && i > start
            && i - start <= 12
            && is_dateline_place(tok(start))
        {
            end_here = true;
        }
        // "NEW DELHI: ..." / "lucknow: ...": a place and a colon opening a paragraph is a
        // dateline of its own.
        if t == ":" && i > start && i - start <= 3 && paragraph_start(text, tokens[start].0.start) {
            end_here = (start..i).all(|k| {
                let w = tok(k);
                w.chars().all(char::is_alphabetic) && (caseless || starts_upper(w))
            });
        }
        if matches!(t, "." | "!" | "?" | "\u{2026}") || t.starts_with("..") {
            // Closing quotes and brackets directly after the punctuation stay with it.
            while last + 1 < tokens.len()
                && tokens[last + 1].0.start == tokens[last].0.end
                && tok(last + 1).chars().all(is_closing)
            {
                last += 1;
            }
            // Symbols after the stop (an emoji) stay with this sentence and do not hide
            // the opener after them.
            let mut next = last + 1;
            while next < tokens.len() && is_symbol(tok(next)) {
                next += 1;
            }
            end_here = match tokens.get(next) {
                None => true,
                Some(_) => opens(tok(next)),
            };
            if end_here {
                last = next - 1;
            }
        } else if t.ends_with('.') && t.len() > 1 {
            // An abbreviation: a break only before an obvious sentence opener.
            if abbreviation_class(t) == Some(true) {
                end_here = match tokens.get(i + 1) {
                    None => true,
                    Some(_) => {
                        // "... to the U.S. “If these ..." : a quote opening a new sentence.
                        let k = if tok(i + 1).chars().all(is_opening) && i + 2 < tokens.len() {
                            i + 2
                        } else {
                            i + 1
                        };
                        let opener = SENTENCE_OPENERS.contains(&tok(k).to_lowercase().as_str());
                        opener && (caseless || starts_upper(tok(k)))
                    }
                };
            }
        }
        // A paragraph break (blank line) always ends a sentence: headlines, datelines.
        if !end_here {
            if let Some(next) = tokens.get(last + 1) {
                let gap = &text[tokens[last].0.end..next.0.start];
                end_here = gap.matches('\n').count() >= 2;
            }
        }
        if end_here || last + 1 == tokens.len() {
            out.push(start..last + 1);
            start = last + 1;
        }
        i = last + 1;
    }
    out
}

/// Whether `at` opens the text or a line.
fn paragraph_start(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .rev()
        .find(|c| !matches!(c, ' ' | '\t'))
        .is_none_or(|c| c == '\n')
}

/// An all-capitals word of three letters or more, as datelines print their place.
fn is_dateline_place(t: &str) -> bool {
    t.chars().count() >= 3 && t.chars().all(|c| c.is_uppercase() || c == '.')
}

fn starts_upper(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_uppercase())
}

fn starts_sentence(t: &str) -> bool {
    t.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || is_opening(c) || c == '\u{201C}' || c == '-'
    })
}

/// The most tokens a sentence may have. Tagging, parsing and coding cost grows faster than
/// linearly in the sentence length, and every event record repeats its sentence, so a
/// longer run of tokens (a text without sentence punctuation, a list of 10,000 names) is cut
/// into pieces of at most this many tokens: cost stays linear in the input. News sentences
/// have 25 tokens on average and almost never more than 150.
pub const MAX_SENTENCE_TOKENS: usize = 300;

/// Cuts ranges longer than [`MAX_SENTENCE_TOKENS`], each cut after the last comma,
/// semicolon or colon of the second half of the window when there is one.
fn cap_sentences(
    text: &str,
    tokens: &[(Span, TokenKind)],
    ranges: Vec<std::ops::Range<usize>>,
) -> (Vec<std::ops::Range<usize>>, usize) {
    let mut out = Vec::with_capacity(ranges.len());
    let mut cut = 0;
    for r in ranges {
        let mut start = r.start;
        while r.end - start > MAX_SENTENCE_TOKENS {
            let window = start + MAX_SENTENCE_TOKENS / 2..start + MAX_SENTENCE_TOKENS;
            let end = window
                .clone()
                .rev()
                .find(|&i| matches!(&text[tokens[i].0.range()], "," | ";" | ":"))
                .map_or(window.end, |i| i + 1);
            out.push(start..end);
            start = end;
            cut += 1;
        }
        out.push(start..r.end);
    }
    (out, cut)
}

/// Fills the token and sentence layers of a document.
pub fn segment(doc: &mut Doc) {
    let raw = tokenize(doc.text());
    let (ranges, cut) = cap_sentences(doc.text(), &raw, sentences(doc.text(), &raw));
    if cut > 0 {
        doc.warnings.push(format!(
            "{cut} sentence cuts: sentences of more than {MAX_SENTENCE_TOKENS} tokens were split"
        ));
    }
    doc.tokens.clear();
    doc.sentences.clear();
    for (s, range) in ranges.into_iter().enumerate() {
        let span = Span::new(raw[range.start].0.start, raw[range.end - 1].0.end);
        for &(span, kind) in &raw[range.clone()] {
            doc.tokens.push(Token {
                span,
                kind,
                sentence: s,
                syntax: None,
            });
        }
        doc.sentences.push(Sentence {
            span,
            tokens: range,
        });
    }
}

/// The text layer as a pipeline stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct TextStage;

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }
    fn process(&self, doc: &mut Doc) {
        segment(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_core::Article;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|(s, _)| &text[s.range()])
            .collect()
    }

    fn sents(text: &str) -> Vec<String> {
        let mut doc = Doc::new(Article::new("t", text));
        segment(&mut doc);
        doc.sentences
            .iter()
            .map(|s| doc.slice(s.span).to_string())
            .collect()
    }

    #[test]
    fn lowercased_text_splits_at_sentence_ends_and_datelines() {
        let text = "This story is from March 10, 2002\n\nlucknow: the aibmac has sought a ban on the u.s. programme. police arrested ten men on saturday after a clash near the old city market. \"we demand a ban,\" he said.";
        assert_eq!(
            sents(text),
            [
                "This story is from March 10, 2002",
                "lucknow:",
                "the aibmac has sought a ban on the u.s. programme.",
                "police arrested ten men on saturday after a clash near the old city market.",
                "\"we demand a ban,\" he said."
            ]
        );
        // With capitals, a lowercase word after a full stop continues the sentence.
        assert_eq!(sents("He lives at No. 5 st. james street.").len(), 1);
        assert_eq!(sents("NAIROBI: Police fired tear gas.").len(), 2);
    }

    #[test]
    fn abbreviations_and_initials_stay_whole() {
        assert_eq!(
            toks("Gen. Abdourahamane Tiani met U.S. envoys at 9 a.m. with S. Jaishankar."),
            [
                "Gen.",
                "Abdourahamane",
                "Tiani",
                "met",
                "U.S.",
                "envoys",
                "at",
                "9",
                "a.m.",
                "with",
                "S.",
                "Jaishankar",
                "."
            ]
        );
    }

    #[test]
    fn numbers_hyphens_and_possessives() {
        assert_eq!(
            toks("Kenya's $1.5 billion, 3,000-strong African Union-led force grew 3.2%."),
            [
                "Kenya",
                "'s",
                "$",
                "1.5",
                "billion",
                ",",
                "3,000-strong",
                "African",
                "Union-led",
                "force",
                "grew",
                "3.2",
                "%",
                "."
            ]
        );
        assert_eq!(
            toks("Manila’s envoy didn't go."),
            ["Manila", "’s", "envoy", "did", "n't", "go", "."]
        );
        assert_eq!(
            toks("Côte d'Ivoire and O'Brien"),
            ["Côte", "d'Ivoire", "and", "O'Brien"]
        );
    }

    #[test]
    fn quotes_are_their_own_tokens() {
        assert_eq!(
            toks("“We reject it,” he said. \"No.\""),
            ["“", "We", "reject", "it", ",", "”", "he", "said", ".", "\"", "No", ".", "\""]
        );
        let kinds: Vec<TokenKind> = tokenize("“A”").iter().map(|t| t.1).collect();
        assert_eq!(kinds, [TokenKind::Quote, TokenKind::Word, TokenKind::Quote]);
    }

    #[test]
    fn sentence_breaks_respect_abbreviations() {
        assert_eq!(
            sents("The U.S. State Department said Gen. Tiani left on Jan. 5. The talks ended."),
            [
                "The U.S. State Department said Gen. Tiani left on Jan. 5.",
                "The talks ended."
            ]
        );
        assert_eq!(
            sents("Aid arrived from the U.S. The ministry thanked Washington."),
            [
                "Aid arrived from the U.S.",
                "The ministry thanked Washington."
            ]
        );
        assert_eq!(
            sents("He meant the U.S. “If they continue, we act.”"),
            ["He meant the U.S.", "“If they continue, we act.”"]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("“We will not yield.” The minister left. \"Why?\" he asked."),
            [
                "“We will not yield.”",
                "The minister left.",
                "\"Why?\" he asked."
            ]
        );
    }

    #[test]
    fn datelines_stand_apart() {
        assert_eq!(
            sents("NAIROBI, Nov. 18 (Dyad Wire) — Police fired tear gas. NATO met."),
            [
                "NAIROBI, Nov. 18 (Dyad Wire) —",
                "Police fired tear gas.",
                "NATO met."
            ]
        );
        // A dash later in an ordinary sentence does not split it.
        assert_eq!(
            sents("The talks — the first in years — ended."),
            ["The talks — the first in years — ended."]
        );
    }

    #[test]
    fn headlines_and_decimals() {
        assert_eq!(
            sents("Talks resume in Beijing\n\nGrowth slowed to 3.2 percent. Prices rose."),
            [
                "Talks resume in Beijing",
                "Growth slowed to 3.2 percent.",
                "Prices rose."
            ]
        );
    }

    #[test]
    fn spans_are_byte_ranges_into_the_text() {
        let text = "Türkiye’s envoy met Côte d'Ivoire’s minister. Talks ended.";
        let mut doc = Doc::new(Article::new("t", text));
        segment(&mut doc);
        for t in &doc.tokens {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        }
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.slice(doc.sentences[1].span), "Talks ended.");
        assert_eq!(doc.tokens.last().unwrap().sentence, 1);
    }
}
