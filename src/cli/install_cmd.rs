//! What an installer ships beside the binary: shell completion scripts and the manual page.
//! Both are generated from the parser's own clap definitions, so they cannot drift from it.

use super::args::{Cli, CompletionShell};
use clap::CommandFactory;
use std::io::{self, Write};

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: CompletionShell, out: &mut dyn Write) -> io::Result<()> {
    let generator = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
        CompletionShell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_owned();
    clap_complete::generate(generator, &mut cmd, name, out);
    Ok(())
}

/// Writes one manual page: the program's synopsis, options and commands, then a section per
/// command (nested ones too) with its own synopsis and options, so `man jingong` answers for
/// `jingong worker add` as well as for the start of the screens.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Fills in every subcommand's full name ("jingong worker add") for its synopsis.
    cmd.build();
    clap_mangen::Man::new(cmd.clone())
        .manual("jingong")
        .render(out)?;
    // --db and --lang are described once, in the page's OPTIONS; not again under each command.
    let globals: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    for sub in cmd.get_subcommands() {
        command_sections(sub, &globals, out)?;
    }
    Ok(())
}

/// One command's section, then its subcommands' sections. clap_mangen renders a page's parts
/// as top-level sections; inside a command's section they become subsections.
fn command_sections(
    cmd: &clap::Command,
    globals: &[clap::Id],
    out: &mut dyn Write,
) -> io::Result<()> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut roff = roff::Roff::default();
    roff.control("SH", [name.to_uppercase().as_str()]);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        roff.text([roff::roman(about.to_string())]);
    }
    roff.to_writer(out)?;
    let own = globals
        .iter()
        .fold(cmd.clone(), |c, id| c.mut_arg(id, |a| a.hide(true)));
    let page = clap_mangen::Man::new(own);
    let mut parts = Vec::new();
    page.render_synopsis_section(&mut parts)?;
    if cmd
        .get_arguments()
        .any(|a| !a.is_hide_set() && !globals.contains(a.get_id()))
    {
        page.render_options_section(&mut parts)?;
    }
    let parts = String::from_utf8(parts).map_err(io::Error::other)?;
    for line in parts.lines() {
        match line.strip_prefix(".SH ") {
            Some(heading) => writeln!(out, ".SS {heading}")?,
            None => writeln!(out, "{line}")?,
        }
    }
    for sub in cmd.get_subcommands() {
        command_sections(sub, globals, out)?;
    }
    Ok(())
}
