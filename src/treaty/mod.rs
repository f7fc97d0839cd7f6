//! Treaties as games: the model, its compilation into games, and collective-security checks.
