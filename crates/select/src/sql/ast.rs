//! Our own small AST for S3 Select: only what the dialect can say, already checked.

use crate::error::Position;
use crate::timestamp::DatePart;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub projection: Projection,
    pub from: From,
    pub selection: Option<Expr>,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// `SELECT *` (or `SELECT alias.*`).
    Star,
    Items(Vec<SelectItem>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SelectItem {
    pub expr: Expr,
    pub alias: Option<String>,
}

/// An identifier as written: unquoted names match case-insensitively.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub quoted: bool,
}

impl Name {
    pub fn matches(&self, other: &str) -> bool {
        if self.quoted {
            self.text == other
        } else {
            self.text.eq_ignore_ascii_case(other)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Field(Name),
    Index(i64),
    /// `[*]` over an array or `.*` over an object: every element.
    Wildcard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct From {
    /// Steps after `S3Object` (the leading `[*]` included when written).
    pub path: Vec<PathStep>,
    pub alias: Option<Name>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Concat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsTest {
    Null,
    Missing,
    True,
    False,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastType {
    Bool,
    Int,
    Float,
    Decimal,
    String,
    Timestamp,
}

impl CastType {
    pub fn name(self) -> &'static str {
        match self {
            CastType::Bool => "BOOL",
            CastType::Int => "INT",
            CastType::Float => "FLOAT",
            CastType::Decimal => "DECIMAL",
            CastType::String => "STRING",
            CastType::Timestamp => "TIMESTAMP",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimSide {
    Leading,
    Trailing,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Avg,
    Count,
    Max,
    Min,
    Sum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    CharLength,
    Lower,
    Upper,
    Substring,
    Trim(TrimSide),
    Coalesce,
    NullIf,
    DateAdd(DatePart),
    DateDiff(DatePart),
    Extract(DatePart),
    ToString,
    ToTimestamp,
    UtcNow,
}

/// What a path's root name refers to, decided once the input format (and CSV header) is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Unbound,
    /// The 0-based field of a CSV record.
    CsvField(usize),
    /// The row itself (the FROM alias, or its implicit name).
    Row,
    /// A field of the row, looked up by the root name.
    RowField,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Value),
    /// A reference that starts at a name (`name`, `alias.name[0].x`, `_3`).
    Path {
        root: Name,
        steps: Vec<PathStep>,
        at: Option<Position>,
        binding: Binding,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Is {
        expr: Box<Expr>,
        test: IsTest,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Like {
        expr: Box<Expr>,
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
        negated: bool,
        at: Option<Position>,
        /// The pattern compiled once, when it and the escape are literals.
        compiled: Option<Box<crate::eval::like::LikePattern>>,
    },
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    Cast {
        expr: Box<Expr>,
        to: CastType,
        at: Option<Position>,
    },
    Call {
        function: Function,
        args: Vec<Expr>,
        at: Option<Position>,
    },
    /// An aggregate; `arg` is `None` for `COUNT(*)`.
    /// `slot` numbers the aggregates of a query, in SELECT-list order.
    Aggregate {
        function: Aggregate,
        arg: Option<Box<Expr>>,
        at: Option<Position>,
        slot: usize,
    },
}

impl Expr {
    pub fn contains_aggregate(&self) -> bool {
        let mut found = false;
        self.walk(&mut |e| found |= matches!(e, Expr::Aggregate { .. }));
        found
    }

    /// Visits this expression and every sub-expression mutably, outside-in.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        f(self);
        match self {
            Expr::Literal(_) | Expr::Path { .. } => {}
            Expr::Unary(_, e) | Expr::Is { expr: e, .. } | Expr::Cast { expr: e, .. } => {
                e.walk_mut(f)
            }
            Expr::Binary(_, a, b) => {
                a.walk_mut(f);
                b.walk_mut(f);
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                expr.walk_mut(f);
                low.walk_mut(f);
                high.walk_mut(f);
            }
            Expr::InList { expr, list, .. } => {
                expr.walk_mut(f);
                list.iter_mut().for_each(|e| e.walk_mut(f));
            }
            Expr::Like {
                expr,
                pattern,
                escape,
                ..
            } => {
                expr.walk_mut(f);
                pattern.walk_mut(f);
                if let Some(e) = escape {
                    e.walk_mut(f);
                }
            }
            Expr::Case {
                operand,
                whens,
                otherwise,
            } => {
                if let Some(o) = operand {
                    o.walk_mut(f);
                }
                for (w, t) in whens {
                    w.walk_mut(f);
                    t.walk_mut(f);
                }
                if let Some(o) = otherwise {
                    o.walk_mut(f);
                }
            }
            Expr::Call { args, .. } => args.iter_mut().for_each(|e| e.walk_mut(f)),
            Expr::Aggregate { arg, .. } => {
                if let Some(a) = arg {
                    a.walk_mut(f);
                }
            }
        }
    }

    /// Visits this expression and every sub-expression, outside-in.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Literal(_) | Expr::Path { .. } => {}
            Expr::Unary(_, e) | Expr::Is { expr: e, .. } | Expr::Cast { expr: e, .. } => e.walk(f),
            Expr::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                expr.walk(f);
                low.walk(f);
                high.walk(f);
            }
            Expr::InList { expr, list, .. } => {
                expr.walk(f);
                list.iter().for_each(|e| e.walk(f));
            }
            Expr::Like {
                expr,
                pattern,
                escape,
                ..
            } => {
                expr.walk(f);
                pattern.walk(f);
                if let Some(e) = escape {
                    e.walk(f);
                }
            }
            Expr::Case {
                operand,
                whens,
                otherwise,
            } => {
                if let Some(o) = operand {
                    o.walk(f);
                }
                for (w, t) in whens {
                    w.walk(f);
                    t.walk(f);
                }
                if let Some(o) = otherwise {
                    o.walk(f);
                }
            }
            Expr::Call { args, .. } => args.iter().for_each(|e| e.walk(f)),
            Expr::Aggregate { arg, .. } => {
                if let Some(a) = arg {
                    a.walk(f);
                }
            }
        }
    }
}
