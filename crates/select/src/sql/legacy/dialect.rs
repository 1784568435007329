//! The S3 Select dialect for `sqlparser`: PartiQL paths (`S3Object[*].a[0]`), backtick
//! timestamp literals, and `IS [NOT] MISSING`.

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident,
    ObjectName, TrimWhereField,
};
use sqlparser::dialect::Dialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Name of the internal function `x IS [NOT] MISSING` parses into. It holds a space, so no
/// unquoted name in a query can spell it.
pub const IS_MISSING_FN: &str = "is missing";
pub const IS_NOT_MISSING_FN: &str = "is not missing";

#[derive(Debug, Default)]
pub struct S3SelectDialect;

impl Dialect for S3SelectDialect {
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '"' || ch == '`'
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_ascii_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_ascii_alphanumeric() || ch == '_'
    }

    fn supports_partiql(&self) -> bool {
        true
    }

    fn supports_boolean_literals(&self) -> bool {
        true
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        // `TRIM(LEADING FROM s)`: a side with no characters (which trims spaces); sqlparser
        // only knows the side together with characters.
        let word = |i: usize, k: Keyword| matches!(&parser.peek_nth_token_ref(i).token, Token::Word(w) if w.keyword == k);
        let side = match &parser.peek_nth_token_ref(2).token {
            Token::Word(w) if w.keyword == Keyword::LEADING => TrimWhereField::Leading,
            Token::Word(w) if w.keyword == Keyword::TRAILING => TrimWhereField::Trailing,
            Token::Word(w) if w.keyword == Keyword::BOTH => TrimWhereField::Both,
            _ => return None,
        };
        if !(word(0, Keyword::TRIM)
            && parser.peek_nth_token_ref(1).token == Token::LParen
            && word(3, Keyword::FROM))
        {
            return None;
        }
        for _ in 0..4 {
            parser.next_token();
        }
        Some(parser.parse_expr().and_then(|expr| {
            parser.expect_token(&Token::RParen)?;
            Ok(Expr::Trim {
                trim_where: Some(side),
                trim_what: None,
                expr: Box::new(expr),
                trim_characters: None,
            })
        }))
    }

    fn parse_infix(
        &self,
        parser: &mut Parser,
        expr: &Expr,
        _precedence: u8,
    ) -> Option<Result<Expr, ParserError>> {
        // `IS [NOT] MISSING`: sqlparser knows IS NULL but not PartiQL's MISSING.
        let is_missing = |i: usize| matches!(&parser.peek_nth_token_ref(i).token, Token::Word(w) if w.value.eq_ignore_ascii_case("missing") && w.quote_style.is_none());
        let next_is_is =
            matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::IS);
        if !next_is_is {
            return None;
        }
        let negated = matches!(&parser.peek_nth_token_ref(1).token, Token::Word(w) if w.keyword == Keyword::NOT);
        let word_at = if negated { 2 } else { 1 };
        if !is_missing(word_at) {
            return None;
        }
        for _ in 0..=word_at {
            parser.next_token();
        }
        let name = if negated {
            IS_NOT_MISSING_FN
        } else {
            IS_MISSING_FN
        };
        Some(Ok(Expr::Function(Function {
            name: ObjectName::from(vec![Ident::new(name)]),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(expr.clone()))],
                clauses: vec![],
            }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: vec![],
        })))
    }

    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        // Give `IS MISSING` the precedence of `IS NULL`.
        let next_is_is =
            matches!(&parser.peek_token_ref().token, Token::Word(w) if w.keyword == Keyword::IS);
        if next_is_is {
            return Some(Ok(self.prec_value(sqlparser::dialect::Precedence::Is)));
        }
        None
    }
}
