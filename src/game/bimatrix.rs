//! Two-player games as a pair of matrices.

use super::NormalForm;
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// A two-player game: `a()[(i, j)]` and `b()[(i, j)]` are the row and column player's payoffs
/// when the row player plays `i` and the column player `j`.
///
/// The fields are private so that every value is a valid game: both matrices non-empty, of the
/// same shape, with finite entries (checked by [`Bimatrix::new`] and the other constructors).
#[derive(Debug, Clone, PartialEq)]
pub struct Bimatrix {
    a: DMatrix<f64>,
    b: DMatrix<f64>,
}

impl Bimatrix {
    /// Builds a bimatrix game, checking shapes and finiteness.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for an empty matrix, different shapes or a non-finite entry.
    pub fn new(a: DMatrix<f64>, b: DMatrix<f64>) -> Result<Self> {
        if a.nrows() == 0 || a.ncols() == 0 {
            return Err(Error::invalid_game(
                "a player has no strategies (empty matrix)",
            ));
        }
        if a.shape() != b.shape() {
            return Err(Error::invalid_game(format!(
                "A is {}x{} but B is {}x{}",
                a.nrows(),
                a.ncols(),
                b.nrows(),
                b.ncols()
            )));
        }
        for (name, m) in [("A", &a), ("B", &b)] {
            for i in 0..m.nrows() {
                for j in 0..m.ncols() {
                    if !m[(i, j)].is_finite() {
                        return Err(Error::invalid_game(format!(
                            "{name}[{i}][{j}] is {}",
                            m[(i, j)]
                        )));
                    }
                }
            }
        }
        Ok(Bimatrix { a, b })
    }

    /// From row-major rows: `Vec<f64>` rows, arrays (`&[[3.0, 0.0], [0.0, 2.0]]`) or slices.
    ///
    /// # Errors
    /// As [`Bimatrix::new`], and for ragged rows.
    ///
    /// # Example
    /// ```
    /// use covenant::game::Bimatrix;
    /// let g = Bimatrix::from_rows(&[[3.0, 0.0], [0.0, 2.0]], &[[2.0, 0.0], [0.0, 3.0]]).unwrap();
    /// assert_eq!((g.rows(), g.cols()), (2, 2));
    /// let h = Bimatrix::from_rows(&[vec![3.0, 0.0], vec![0.0, 2.0]],
    ///                             &[vec![2.0, 0.0], vec![0.0, 3.0]]).unwrap();
    /// assert_eq!(g, h);
    /// ```
    pub fn from_rows<R: AsRef<[f64]>>(a: &[R], b: &[R]) -> Result<Self> {
        let g = NormalForm::from_matrices(a, b)?;
        Self::try_from(&g)
    }

    /// A zero-sum game with row payoffs `a` (the column player gets `-a`).
    ///
    /// # Errors
    /// As [`Bimatrix::new`].
    pub fn zero_sum(a: DMatrix<f64>) -> Result<Self> {
        let b = -a.clone();
        Self::new(a, b)
    }

    /// The row player's payoffs (m x n).
    pub fn a(&self) -> &DMatrix<f64> {
        &self.a
    }

    /// The column player's payoffs (m x n).
    pub fn b(&self) -> &DMatrix<f64> {
        &self.b
    }

    /// The two payoff matrices `(A, B)`, consuming the game.
    pub fn into_matrices(self) -> (DMatrix<f64>, DMatrix<f64>) {
        (self.a, self.b)
    }

    /// Number of row strategies.
    pub fn rows(&self) -> usize {
        self.a.nrows()
    }

    /// Number of column strategies.
    pub fn cols(&self) -> usize {
        self.a.ncols()
    }

    /// The game in normal form.
    pub fn to_normal_form(&self) -> NormalForm {
        let (m, n) = self.a.shape();
        let tensor = |x: &DMatrix<f64>| {
            ndarray::ArrayD::from_shape_fn(ndarray::IxDyn(&[m, n]), |ix| x[(ix[0], ix[1])])
        };
        // Entries were checked finite and the shape non-empty on construction.
        NormalForm::new(vec![tensor(&self.a), tensor(&self.b)])
            .expect("a valid bimatrix is a valid normal form")
    }
}

impl TryFrom<&NormalForm> for Bimatrix {
    type Error = Error;

    fn try_from(g: &NormalForm) -> Result<Self> {
        if g.num_players() != 2 {
            return Err(Error::invalid_argument(format!(
                "a bimatrix algorithm needs a two-player game; this one has {} players",
                g.num_players()
            )));
        }
        let (m, n) = (g.shape()[0], g.shape()[1]);
        let a = DMatrix::from_fn(m, n, |i, j| g.payoff(0, &[i, j]));
        let b = DMatrix::from_fn(m, n, |i, j| g.payoff(1, &[i, j]));
        Ok(Bimatrix { a, b })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_ragged_and_non_finite_games_are_unrepresentable() {
        let empty = DMatrix::<f64>::zeros(0, 0);
        assert!(matches!(
            Bimatrix::new(empty.clone(), empty),
            Err(Error::InvalidGame(_))
        ));
        let no_cols = DMatrix::<f64>::zeros(3, 0);
        assert!(Bimatrix::new(no_cols.clone(), no_cols).is_err());
        let a = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
        let b = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
        assert!(Bimatrix::new(a.clone(), b).is_err());
        let nan = DMatrix::from_row_slice(1, 2, &[1.0, f64::NAN]);
        assert!(Bimatrix::new(a.clone(), nan).is_err());
        let inf = DMatrix::from_row_slice(1, 2, &[f64::NEG_INFINITY, 0.0]);
        assert!(Bimatrix::zero_sum(inf).is_err());
        assert!(Bimatrix::from_rows::<Vec<f64>>(&[], &[]).is_err());
    }

    #[test]
    fn accessors_return_the_matrices_given() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
        let g = Bimatrix::zero_sum(a.clone()).unwrap();
        assert_eq!(g.a(), &a);
        assert_eq!(g.b(), &(-a.clone()));
        assert_eq!((g.rows(), g.cols()), (2, 2));
        assert_eq!(g.into_matrices().0, a);
    }
}
