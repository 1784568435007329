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
