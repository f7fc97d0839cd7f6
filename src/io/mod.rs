//! Reading and writing games and models: Gambit `.nfg`, JSON games, TOML treaty models.
