//! The text of the file and folder picker.

use super::T;

pub(super) fn zh(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        FilesTitle => "选择文件",
        FilesDrives => "移动磁盘（U盘、移动硬盘）",
        FilesParent => "上一级文件夹",
        FilesThisFolder => "选择这个文件夹",
        FilesKeys => "{0} 打开/选定  {1} 移动磁盘/主文件夹  Backspace 上一级  {2} 取消",
        FilesUnreadable => "无法读取这个文件夹：{0}",
        FilesPartial => "文件太多，只读取了前 {0} 项；请直接输入文件路径",
        FilesNoDrives => "没有找到移动磁盘：请插入U盘后再按一次",
        FilesEmpty => "这里没有可选的文件",
        FilesHint => "按 {0} 从文件夹中选择",
        FilesFieldHint => "可粘贴；{0} 选文件",
        _ => return None,
    })
}

pub(super) fn en(key: T) -> Option<&'static str> {
    use T::*;
    Some(match key {
        FilesTitle => "Choose a file",
        FilesDrives => "Removable drives (USB sticks, disks)",
        FilesParent => "Parent folder",
        FilesThisFolder => "Choose this folder",
        FilesKeys => "{0} open/choose  {1} drives/home  Backspace up  {2} cancel",
        FilesUnreadable => "Cannot read this folder: {0}",
        FilesPartial => "Too many files: only the first {0} were read; type the path instead",
        FilesNoDrives => "No removable drive found: plug one in and press the key again",
        FilesEmpty => "Nothing to choose here",
        FilesHint => "Press {0} to choose from folders",
        FilesFieldHint => "paste, or {0} to browse",
        _ => return None,
    })
}
