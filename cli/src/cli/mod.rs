//! Command-line parsing and dispatch. Output formatting lives in [`output`].

mod coop;
mod extensive;
mod noncoop;
pub mod output;
mod plot;
mod progress;
mod sweep;
mod treaty;

use clap::{Parser, Subcommand};

/// covenant: game-theoretic solvers for treaties and collective security.
#[derive(Debug, Parser)]
#[command(name = "covenant", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a treaty model's collective-security conditions.
    Check(treaty::CheckArgs),
    /// Check a treaty model over a grid of parameter values (CSV or JSON rows).
    Sweep(sweep::SweepArgs),
    /// Solve a treaty model's compiled games (response equilibria, nucleolus, power indices).
    Solve(treaty::SolveArgs),
    /// Nash equilibria of a normal-form game (.nfg or .json) or a game tree (.efg).
    Nash(noncoop::NashArgs),
    /// Correlated or coarse correlated equilibrium of a normal-form game (LP).
    Correlated(noncoop::CorrelatedArgs),
    /// Iterated elimination of strictly dominated strategies (pure and mixed).
    Dominance(noncoop::DominanceArgs),
    /// Stackelberg commitment: the leader's optimal mixed strategy.
    Stackelberg(noncoop::StackelbergArgs),
    /// Solutions of a coalitional (TU) game: core, least core, nucleolus, Shapley, …
    Coop(coop::CoopArgs),
    /// Power indices of a weighted voting game.
    Power(coop::PowerArgs),
}

/// Runs the parsed command.
pub fn run(cli: &Cli) -> covenant::Result<()> {
    match &cli.command {
        Command::Check(a) => treaty::check(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Solve(a) => treaty::solve(a),
        Command::Nash(a) => noncoop::nash(a),
        Command::Correlated(a) => noncoop::correlated(a),
        Command::Dominance(a) => noncoop::dominance(a),
        Command::Stackelberg(a) => noncoop::stackelberg(a),
        Command::Coop(a) => coop::coop(a),
        Command::Power(a) => coop::power(a),
    }
}
