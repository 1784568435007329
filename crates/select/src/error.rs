//! One error type for the whole engine: S3's error code, a message a learner can act on,
//! and, for SQL errors, where in the expression it happened.

use std::fmt;

macro_rules! error_codes {
    ($($name:ident),* $(,)?) => {
        /// The error codes S3 Select answers with (the subset this engine can raise).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($name),* }

        impl ErrorCode {
            /// The code exactly as S3 spells it.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$name => stringify!($name)),* }
            }

            /// Every code, for documentation and tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name),*];
        }
    };
}

error_codes! {
    AmbiguousFieldName,
    CastFailed,
    ColumnTooLong,
    CSVParsingError,
    CSVUnescapedQuote,
    EvaluatorBindingDoesNotExist,
    EvaluatorInvalidArguments,
    EvaluatorInvalidTimestampFormatPattern,
    EvaluatorInvalidTimestampFormatPatternSymbol,
    EvaluatorInvalidTimestampFormatPatternSymbolForParsing,
    EvaluatorLikePatternInvalidEscapeSequence,
    EvaluatorNegativeLimit,
    EvaluatorUnterminatedTimestampFormatPatternToken,
    ExpressionTooLong,
    IllegalSqlFunctionArgument,
    IncorrectSqlFunctionArgumentType,
    IntegerOverflow,
    InvalidColumnIndex,
    InvalidCompressionFormat,
    InvalidDataType,
    InvalidExpressionType,
    InvalidFileHeaderInfo,
    InvalidJsonType,
    InvalidQuoteFields,
    InvalidRequestParameter,
    InvalidScanRange,
    InvalidTableAlias,
    InvalidTextEncoding,
    JSONParsingError,
    LexerInvalidChar,
    LexerInvalidLiteral,
    LexerInvalidOperator,
    LikeInvalidInputs,
    MissingHeaderName,
    MissingRequiredParameter,
    MultipleDataSourcesUnsupported,
    ObjectSerializationConflict,
    OverMaxColumn,
    OverMaxParquetBlockSize,
    OverMaxRecordSize,
    ParquetParsingError,
    ParquetUnsupportedCompressionCodec,
    ParseAsteriskIsNotAloneInSelectList,
    ParseCannotMixSqbAndWildcardInSelectList,
    ParseCastArity,
    ParseEmptySelect,
    ParseExpectedArgumentDelimiter,
    ParseExpectedDatePart,
    ParseExpectedExpression,
    ParseExpectedIdentForAlias,
    ParseExpectedKeyword,
    ParseExpectedLeftParenAfterCast,
    ParseExpectedMember,
    ParseExpectedNumber,
    ParseExpectedTypeName,
    ParseExpectedWhenClause,
    ParseInvalidContextForWildcardInSelectList,
    ParseInvalidPathComponent,
    ParseInvalidTypeParam,
    ParseMalformedJoin,
    ParseNonUnaryAgregateFunctionCall,
    ParseSelectMissingFrom,
    ParseUnExpectedKeyword,
    ParseUnexpectedOperator,
    ParseUnexpectedTerm,
    ParseUnexpectedToken,
    ParseUnknownOperator,
    ParseUnsupportedAlias,
    ParseUnsupportedCallWithStar,
    ParseUnsupportedCase,
    ParseUnsupportedSelect,
    ParseUnsupportedSyntax,
    TruncatedInput,
    UnrecognizedFormatException,
    UnsupportedFunction,
    UnsupportedParquetType,
    UnsupportedSyntax,
    UnsupportedScanRangeInput,
    ValueParseFailure,
}

impl ErrorCode {
    /// What the code means and how a learner usually fixes it: shown under the message, which
    /// says what this query did. One sentence or two, in the page's own words (S3 documents
    /// the codes with a line each).
    pub fn advice(self) -> &'static str {
        use ErrorCode::*;
        match self {
            AmbiguousFieldName => "Two fields match this name in a different case. Quote it (\"Name\") to match one exactly.",
            CastFailed => "A value could not be converted by CAST: check the data (an empty CSV field, text in a number column) or filter those rows out first.",
            ColumnTooLong | OverMaxRecordSize => "A record is longer than S3 Select reads (1 MB): the record delimiter may be wrong, so the whole file reads as one record.",
            CSVParsingError | CSVUnescapedQuote => "The CSV text does not match the settings: check the field delimiter, the quote and escape characters, and whether quoted fields may hold line breaks.",
            EvaluatorBindingDoesNotExist | InvalidTableAlias => "The query names something the FROM clause does not define: use the alias it gives (FROM S3Object s → s.name).",
            EvaluatorInvalidArguments | IllegalSqlFunctionArgument | IncorrectSqlFunctionArgumentType => "A function got an argument of the wrong type or count: the examples show each function's arguments.",
            EvaluatorInvalidTimestampFormatPattern | EvaluatorInvalidTimestampFormatPatternSymbol | EvaluatorInvalidTimestampFormatPatternSymbolForParsing | EvaluatorUnterminatedTimestampFormatPatternToken => "The timestamp pattern is not one S3 Select reads: patterns use letters such as yyyy, MM, dd, HH, mm and ss, with text in single quotes.",
            EvaluatorLikePatternInvalidEscapeSequence | LikeInvalidInputs => "LIKE takes a string pattern (% for any run, _ for one character); an ESCAPE character must come before % or _.",
            EvaluatorNegativeLimit | ParseExpectedNumber => "LIMIT takes a whole number of 0 or more.",
            ExpressionTooLong => "S3 Select reads queries of up to 256 KB: shorten the query.",
            IntegerOverflow => "A whole number went past the 64-bit range: CAST to FLOAT first, or compare smaller values.",
            InvalidColumnIndex => "Positional columns start at _1: with FileHeaderInfo USE or IGNORE, or NONE, _1 is the first field.",
            InvalidCompressionFormat | TruncatedInput => "The bytes do not match the compression setting: choose NONE, GZIP or BZIP2 as the file really is (the detected settings say which).",
            InvalidDataType | InvalidExpressionType => "A value of one type is used where another is needed: CSV fields are strings, so compare numbers after CAST(x AS INT).",
            InvalidFileHeaderInfo | InvalidJsonType | InvalidQuoteFields | InvalidRequestParameter | MissingRequiredParameter | ObjectSerializationConflict | UnrecognizedFormatException => "The input or output settings are not a combination S3 Select takes: check the serialization controls.",
            InvalidScanRange | UnsupportedScanRangeInput => "A scan range needs uncompressed CSV without quoted record delimiters, or JSON Lines.",
            InvalidTextEncoding => "S3 Select reads UTF-8 text only: save the file as UTF-8.",
            JSONParsingError => "The JSON could not be read with these settings: one document per file is DOCUMENT, one object per line is LINES.",
            LexerInvalidChar | LexerInvalidLiteral | LexerInvalidOperator => "The query has a character or literal S3 Select does not read at the caret: strings take single quotes, names double quotes.",
            MissingHeaderName => "With FileHeaderInfo USE a name must be one of the header's fields: check the header (and its line ending, \\r\\n) or use _1, _2, ….",
            MultipleDataSourcesUnsupported | ParseMalformedJoin => "S3 Select reads one object: the FROM clause takes S3Object only, no joins.",
            OverMaxColumn => "A record has more fields than S3 Select reads (1,000).",
            OverMaxParquetBlockSize | ParquetParsingError | ParquetUnsupportedCompressionCodec | UnsupportedParquetType => "The Parquet file uses something S3 Select does not read: it takes GZIP or Snappy columns and the common types.",
            ParseAsteriskIsNotAloneInSelectList | ParseCannotMixSqbAndWildcardInSelectList | ParseInvalidContextForWildcardInSelectList => "SELECT * stands alone: list the fields instead, or use * by itself.",
            ParseCastArity | ParseExpectedLeftParenAfterCast | ParseExpectedTypeName | ParseInvalidTypeParam => "CAST takes one value and a type: CAST(s.age AS INT), with INT, FLOAT, DECIMAL, STRING, BOOL or TIMESTAMP.",
            ParseEmptySelect | ParseSelectMissingFrom | ParseUnsupportedSelect => "A query is SELECT <what> FROM S3Object <alias>, then WHERE and LIMIT if needed.",
            ParseExpectedArgumentDelimiter => "Function arguments are separated by commas.",
            ParseExpectedDatePart => "DATE_ADD, DATE_DIFF and EXTRACT take a date part first: year, month, day, hour, minute or second.",
            ParseExpectedExpression | ParseExpectedMember | ParseInvalidPathComponent | ParseUnexpectedTerm | ParseUnexpectedToken | ParseUnexpectedOperator | ParseUnknownOperator => "The query stops making sense at the caret: look for a missing value, comma or parenthesis just before it.",
            ParseExpectedIdentForAlias | ParseUnsupportedAlias => "An alias is a plain name after the path or AS: FROM S3Object s.",
            ParseExpectedKeyword | ParseUnExpectedKeyword => "A keyword is missing or out of place at the caret (for example FROM, WHERE, AS, THEN or END).",
            ParseExpectedWhenClause | ParseUnsupportedCase => "CASE needs at least one WHEN … THEN …, and ends with END.",
            ParseNonUnaryAgregateFunctionCall | ParseUnsupportedCallWithStar => "Aggregates take one argument; only COUNT(*) takes a star.",
            ParseUnsupportedSyntax | UnsupportedSyntax | UnsupportedFunction => "S3 Select's SQL is a small dialect: no ORDER BY, GROUP BY, JOIN or subqueries, and only its own functions.",
            ValueParseFailure => "A literal could not be read as its type: timestamps are written `2024-01-31T`, numbers without quotes.",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and column in the SQL expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// What went wrong, in S3's words, with enough context to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct SelectError {
    pub code: ErrorCode,
    /// The full sentence shown to the user (includes the position when there is one).
    pub message: String,
    pub position: Option<Position>,
}

impl SelectError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        SelectError {
            code,
            message: message.into(),
            position: None,
        }
    }

    /// An error about the SQL text at a known place; the position is also written into the message.
    pub fn at(code: ErrorCode, message: impl Into<String>, position: Option<Position>) -> Self {
        let mut message = message.into();
        if let Some(p) = position {
            message = format!("{message} (at {p})");
        }
        SelectError {
            code,
            message,
            position,
        }
    }
}

pub type Result<T, E = SelectError> = std::result::Result<T, E>;

#[cfg(test)]
mod advice_tests {
    use super::ErrorCode;

    #[test]
    fn every_code_has_advice_in_whole_sentences() {
        for code in ErrorCode::ALL {
            let advice = code.advice();
            assert!(advice.len() > 30, "{code}: {advice}");
            assert!(
                advice.ends_with('.') && advice.starts_with(|c: char| c.is_ascii_uppercase()),
                "{code}: {advice}"
            );
        }
    }
}
