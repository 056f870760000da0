//! Which column is which: the header spellings of each worker field, in Chinese and English,
//! and the folding that makes "ID_Number", "id number" and "*身份证号" the same.

use crate::domain::Field;

/// Header spellings per field, already in the folded form `fold_header` produces.
const HEADER_ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &["姓名", "职工姓名", "名字", "name", "fullname"],
    ),
    (
        Field::IdNumber,
        &[
            "身份证号",
            "公民身份号码",
            "身份证号码",
            "身份证",
            "证件号码",
            "idnumber",
            "idno",
            "idcard",
        ],
    ),
    (
        Field::Phone,
        &[
            "手机号",
            "联系电话",
            "手机",
            "手机号码",
            "电话",
            "phone",
            "mobile",
            "tel",
        ],
    ),
    (
        Field::Employer,
        &[
            "工作单位",
            "单位",
            "单位名称",
            "所在单位",
            "employer",
            "company",
        ],
    ),
    (
        Field::Worksite,
        &["工地", "工作地点", "场所", "项目", "worksite", "site"],
    ),
    (
        Field::Trade,
        &["工种", "职业", "岗位", "trade", "occupation"],
    ),
    (
        Field::District,
        &["所属区", "所在区", "区", "district", "districtcode"],
    ),
    (
        Field::Membership,
        &["会员状态", "是否会员", "会员", "membership", "member"],
    ),
    (
        Field::CardNo,
        &[
            "会员服务卡号",
            "会员卡号",
            "服务卡号",
            "卡号",
            "cardno",
            "card",
        ],
    ),
    (
        Field::Hardship,
        &["困难职工", "是否困难职工", "困难", "hardship"],
    ),
    (
        Field::Note,
        &["备注", "说明", "note", "notes", "remark", "remarks"],
    ),
];

pub(super) const REQUIRED: [Field; 2] = [Field::Name, Field::IdNumber];

/// Spaces (of any width), underscores, hyphens and required-field stars do not matter, nor
/// does case: "ID_Number", "id number" and "*身份证号" all match.
pub(super) fn fold_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '＊'))
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn field_of_header(header: &str) -> Option<Field> {
    let folded = fold_header(header);
    HEADER_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&folded.as_str()))
        .map(|(field, _)| *field)
        .or_else(|| crate::batch::roster_needs::needs_header(&folded))
}
