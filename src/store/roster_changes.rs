//! What a roster import changes in registered workers, field by field, and how a change is shown:
//! the officer must see who would be changed and to what before anything is written (issue 13),
//! not only how many fields of each kind.

use crate::domain::refdata;
use crate::domain::{Field, Membership, WorkerInput, mask_id_number, mask_phone};
use crate::text::Lang;

/// One field of one worker: the stored value and the roster's, as stored (codes, not labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    pub old: String,
    pub new: String,
}

/// Every field a roster row changes in one registered worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerChange {
    /// Row number in the roster.
    pub row: usize,
    /// The name after the import (a rename accepted by the officer shows in `fields`).
    pub name: String,
    pub id_number: String,
    pub fields: Vec<FieldChange>,
}

/// The fields that differ between the stored worker and the merged roster row, in form order.
pub fn field_changes(before: &WorkerInput, after: &WorkerInput) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut check = |field: Field, old: &str, new: &str| {
        if old != new {
            changes.push(FieldChange {
                field,
                old: old.to_string(),
                new: new.to_string(),
            });
        }
    };
    let flag = |b: bool| if b { "true" } else { "false" };
    check(Field::Name, &before.name, &after.name);
    check(Field::IdNumber, &before.id_number, &after.id_number);
    check(Field::Phone, &before.phone, &after.phone);
    check(Field::Employer, &before.employer, &after.employer);
    check(Field::Worksite, &before.worksite, &after.worksite);
    check(Field::Trade, &before.trade, &after.trade);
    check(Field::District, &before.district_code, &after.district_code);
    check(
        Field::Membership,
        before.membership.code(),
        after.membership.code(),
    );
    check(Field::CardNo, &before.card_no, &after.card_no);
    check(Field::Hardship, flag(before.hardship), flag(after.hardship));
    check(Field::Note, &before.note, &after.note);
    changes
}

impl FieldChange {
    /// A value as the officer reads it: ID numbers and phones masked unless `reveal`, codes
    /// as words, an empty value as a dash.
    fn shown(&self, value: &str, lang: Lang, reveal: bool) -> String {
        if value.is_empty() {
            return lang.pick("（空）", "(empty)").to_string();
        }
        match self.field {
            Field::IdNumber if !reveal => mask_id_number(value),
            Field::Phone if !reveal => mask_phone(value),
            Field::District => refdata::district(value)
                .map(|d| lang.pick(&d.zh, &d.en).to_string())
                .unwrap_or_else(|| value.to_string()),
            Field::Membership => match Membership::from_code(value) {
                Some(Membership::Member) => lang.pick("会员", "member").into(),
                Some(Membership::JoinedHere) => lang.pick("本次入会", "joined here").into(),
                Some(Membership::NotMember) => lang.pick("非会员", "not a member").into(),
                None => value.to_string(),
            },
            Field::Hardship => match value {
                "true" => lang.pick("是", "yes").into(),
                _ => lang.pick("否", "no").into(),
            },
            _ => value.to_string(),
        }
    }

    pub fn shown_old(&self, lang: Lang, reveal: bool) -> String {
        self.shown(&self.old, lang, reveal)
    }

    pub fn shown_new(&self, lang: Lang, reveal: bool) -> String {
        self.shown(&self.new, lang, reveal)
    }

    /// "手机号 138****4444 → 137****0000".
    pub fn describe(&self, lang: Lang, reveal: bool) -> String {
        format!(
            "{} {} → {}",
            self.field.label(lang),
            self.shown(&self.old, lang, reveal),
            self.shown(&self.new, lang, reveal)
        )
    }
}

impl WorkerChange {
    /// "第 3 行 孙丽 120101********1234：手机号 138****4444 → 137****0000；工种 （空） → 电工".
    pub fn describe(&self, lang: Lang, reveal: bool) -> String {
        let id = if reveal {
            self.id_number.clone()
        } else {
            mask_id_number(&self.id_number)
        };
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|f| f.describe(lang, reveal))
            .collect();
        match lang {
            Lang::Zh => format!(
                "第 {} 行 {} {}：{}",
                self.row,
                self.name,
                id,
                fields.join("；")
            ),
            Lang::En => format!(
                "row {} {} {}: {}",
                self.row,
                self.name,
                id,
                fields.join("; ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_listed_field_by_field_and_masked() {
        let before = WorkerInput {
            name: "孙丽".into(),
            id_number: "620102199708155206".into(),
            phone: "13800004444".into(),
            district_code: "120101".into(),
            ..WorkerInput::default()
        };
        let after = WorkerInput {
            phone: "13700000000".into(),
            trade: "电工".into(),
            district_code: "120104".into(),
            ..before.clone()
        };
        let change = WorkerChange {
            row: 3,
            name: "孙丽".into(),
            id_number: before.id_number.clone(),
            fields: field_changes(&before, &after),
        };
        assert_eq!(
            change.describe(Lang::Zh, false),
            "第 3 行 孙丽 620102********5206：手机号 138****4444 → 137****0000；\
             工种 （空） → 电工；所属区 和平区 → 南开区"
        );
        assert!(
            change
                .describe(Lang::En, true)
                .contains("13800004444 → 13700000000")
        );
    }
}
