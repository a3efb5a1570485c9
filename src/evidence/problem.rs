//! Problems found while reading evidence: data, never panics.

use serde::Serialize;

/// How many problems a file keeps in full; the rest are only counted.
pub const MAX_PROBLEMS_KEPT: usize = 1000;

/// One thing wrong with an evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file's name.
    pub file: String,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 0-based record index within the file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// The column or field, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// What was wrong, and what was kept.
    pub message: String,
}

/// A file's problems: the first [`MAX_PROBLEMS_KEPT`] kept, all counted.
#[derive(Debug)]
pub struct Problems {
    file: String,
    kept: Vec<Problem>,
    count: u64,
}

impl Problems {
    /// An empty list for one file.
    pub fn new(file: &str) -> Self {
        Problems {
            file: file.to_string(),
            kept: Vec::new(),
            count: 0,
        }
    }

    /// Records a problem.
    pub fn push(
        &mut self,
        line: Option<u64>,
        record: Option<u64>,
        column: Option<String>,
        message: String,
    ) {
        self.count += 1;
        if self.kept.len() < MAX_PROBLEMS_KEPT {
            self.kept.push(Problem {
                file: self.file.clone(),
                line,
                record,
                column,
                message,
            });
        }
    }

    /// How many problems so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The total count and the kept problems.
    pub fn finish(self) -> (u64, Vec<Problem>) {
        (self.count, self.kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_all_keeps_the_first() {
        let mut p = Problems::new("f.csv");
        for i in 0..(MAX_PROBLEMS_KEPT as u64 + 5) {
            p.push(Some(i + 1), None, None, "bad".into());
        }
        let (n, kept) = p.finish();
        assert_eq!(n, MAX_PROBLEMS_KEPT as u64 + 5);
        assert_eq!(kept.len(), MAX_PROBLEMS_KEPT);
        assert_eq!(kept[0].file, "f.csv");
    }
}
