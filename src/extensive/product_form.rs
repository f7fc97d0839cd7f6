//! The inverse of a basis in product form, for revised pivoting on a sparse matrix.
//!
//! The pivoting methods of this module see a sparse `n × k` matrix whose first `n` columns are
//! the identity (the slack variables `w` of an LCP `w − M z − d z₀ = q`) and a basis of `n` of
//! its columns. The basis inverse is never formed: it is kept as a product of elementary
//! matrices, `B⁻¹ = E_k⁻¹ ⋯ E_1⁻¹`, each the identity with one column (the *eta* column)
//! replaced. This is the product form of the inverse of the revised simplex method (Dantzig &
//! Orchard-Hays, "The product form for the inverse in the simplex method", *Mathematical Tables
//! and Other Aids to Computation* 8 (1954) 64–67; Chvátal, *Linear Programming*, Freeman 1983,
//! ch. 24):
//!
//! - a pivot appends one eta, the entering column expressed in the current basis;
//! - `B⁻¹ a` (FTRAN) applies the etas first to last, `eᵢᵀ B⁻¹` (BTRAN) last to first;
//! - a *reinversion* rebuilds the file from the basic columns alone, so that the file stays
//!   short and round-off does not accumulate: basic unit columns cost nothing, the others are
//!   brought in one by one, sparsest first, each pivoting on a row whose entry is at least a
//!   tenth of the largest available one (threshold partial pivoting) and, among those, on the
//!   row that the fewest columns still to come touch (a Markowitz-style count against fill-in).
//!
//! The code is generic over [`Field`], so the same pivots run in `f64` and in exact rationals
//! (a float path's final basis is re-solved exactly with it).

use num_rational::BigRational;
use num_traits::{FromPrimitive, Num, Signed, Zero};

/// Pivoting arithmetic: `f64` with tolerances, or exact rationals.
pub(super) trait Field: Clone + PartialOrd + Num + Signed + FromPrimitive {
    /// Entries and ratio differences at most this in magnitude count as zero in pivoting
    /// decisions (0 in exact arithmetic).
    fn eps() -> Self;
    /// Computed entries at most this in magnitude are dropped from the eta file (round-off
    /// fill; 0 in exact arithmetic).
    fn drop_below() -> Self;
    /// The smallest acceptable pivot at a reinversion, given the largest available entry.
    fn pivot_threshold(largest: &Self) -> Self;
    /// An integer.
    fn int(x: i64) -> Self;
}

impl Field for f64 {
    fn eps() -> Self {
        1e-11
    }
    fn drop_below() -> Self {
        1e-14
    }
    fn pivot_threshold(largest: &Self) -> Self {
        0.1 * largest
    }
    fn int(x: i64) -> Self {
        x as f64
    }
}

impl Field for BigRational {
    fn eps() -> Self {
        BigRational::zero()
    }
    fn drop_below() -> Self {
        BigRational::zero()
    }
    fn pivot_threshold(_largest: &Self) -> Self {
        BigRational::zero()
    }
    fn int(x: i64) -> Self {
        BigRational::from_integer(x.into())
    }
}

/// A sparse matrix by columns (compressed sparse column form).
#[derive(Debug, Clone)]
pub(super) struct Columns<T> {
    start: Vec<usize>,
    index: Vec<usize>,
    value: Vec<T>,
}

impl<T: Field> Columns<T> {
    /// The matrix from per-column `(row, value)` lists; duplicates are summed and zeros dropped.
    pub fn from_lists(lists: Vec<Vec<(usize, T)>>) -> Self {
        let mut start = Vec::with_capacity(lists.len() + 1);
        let mut index = Vec::new();
        let mut value: Vec<T> = Vec::new();
        start.push(0);
        for mut col in lists {
            col.sort_by_key(|e| e.0);
            let first = index.len();
            for (i, v) in col {
                if index.len() > first && index[index.len() - 1] == i {
                    let last = value.len() - 1;
                    value[last] = value[last].clone() + v;
                } else {
                    index.push(i);
                    value.push(v);
                }
            }
            // Drop entries that summed to zero.
            let mut k = first;
            for j in first..index.len() {
                if !value[j].is_zero() {
                    index.swap(k, j);
                    value.swap(k, j);
                    k += 1;
                }
            }
            index.truncate(k);
            value.truncate(k);
            start.push(index.len());
        }
        Columns {
            start,
            index,
            value,
        }
    }

    /// Row indices and values of column `j`.
    pub fn column(&self, j: usize) -> (&[usize], &[T]) {
        let r = self.start[j]..self.start[j + 1];
        (&self.index[r.clone()], &self.value[r])
    }

    /// Number of stored entries.
    #[cfg(test)]
    pub fn nnz(&self) -> usize {
        self.index.len()
    }
}

/// A dense vector with its list of (possibly) non-zero positions, cleared in time
/// proportional to that list.
#[derive(Debug, Clone)]
pub(super) struct SparseVec<T> {
    value: Vec<T>,
    marked: Vec<bool>,
    pattern: Vec<usize>,
}

impl<T: Field> SparseVec<T> {
    /// The zero vector of length `n`.
    pub fn new(n: usize) -> Self {
        SparseVec {
            value: vec![T::zero(); n],
            marked: vec![false; n],
            pattern: Vec::new(),
        }
    }

    /// Sets every entry to zero.
    pub fn clear(&mut self) {
        for &i in &self.pattern {
            self.value[i] = T::zero();
            self.marked[i] = false;
        }
        self.pattern.clear();
    }

    /// Entry `i`.
    pub fn get(&self, i: usize) -> &T {
        &self.value[i]
    }

    /// Sets entry `i`.
    pub fn set(&mut self, i: usize, v: T) {
        if !self.marked[i] {
            self.marked[i] = true;
            self.pattern.push(i);
        }
        self.value[i] = v;
    }

    /// The positions that may be non-zero (in no particular order).
    pub fn pattern(&self) -> &[usize] {
        &self.pattern
    }

    /// Loads column `j` of `cols`.
    pub fn load(&mut self, cols: &Columns<T>, j: usize) {
        self.clear();
        let (index, value) = cols.column(j);
        for (&i, v) in index.iter().zip(value) {
            self.set(i, v.clone());
        }
    }
}

/// A basis that is singular to working precision: no acceptable pivot for a basic column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Singular;

/// The eta file: `B⁻¹ = E_k⁻¹ ⋯ E_1⁻¹`.
#[derive(Debug, Clone)]
pub(super) struct EtaFile<T> {
    n: usize,
    /// Per eta: its pivot row and pivot entry.
    row: Vec<usize>,
    pivot: Vec<T>,
    /// Per eta: the range of its off-pivot entries in `index`/`value`.
    start: Vec<usize>,
    index: Vec<usize>,
    value: Vec<T>,
}

impl<T: Field> EtaFile<T> {
    /// The inverse of the identity basis of order `n` (no etas).
    pub fn new(n: usize) -> Self {
        EtaFile {
            n,
            row: Vec::new(),
            pivot: Vec::new(),
            start: vec![0],
            index: Vec::new(),
            value: Vec::new(),
        }
    }

    /// Number of stored off-pivot entries.
    pub fn nnz(&self) -> usize {
        self.index.len()
    }

    /// Appends the eta of a pivot on row `r` of the column `col = B⁻¹ a` (already
    /// transformed by the file).
    pub fn push(&mut self, r: usize, col: &SparseVec<T>) {
        let tiny = T::drop_below();
        for &i in col.pattern() {
            let v = col.get(i);
            if i != r && v.abs() > tiny {
                self.index.push(i);
                self.value.push(v.clone());
            }
        }
        self.row.push(r);
        self.pivot.push(col.get(r).clone());
        self.start.push(self.index.len());
    }

    /// FTRAN: `x ← B⁻¹ x`.
    pub fn ftran(&self, x: &mut SparseVec<T>) {
        for k in 0..self.row.len() {
            let r = self.row[k];
            if x.get(r).is_zero() {
                continue;
            }
            let xr = x.get(r).clone() / self.pivot[k].clone();
            for j in self.start[k]..self.start[k + 1] {
                let i = self.index[j];
                let v = x.get(i).clone() - self.value[j].clone() * xr.clone();
                x.set(i, v);
            }
            x.set(r, xr);
        }
    }

    /// BTRAN: `y ← yᵀ B⁻¹` (row vector `y`).
    pub fn btran(&self, y: &mut SparseVec<T>) {
        for k in (0..self.row.len()).rev() {
            let r = self.row[k];
            let mut s = y.get(r).clone();
            let mut touched = !s.is_zero();
            for j in self.start[k]..self.start[k + 1] {
                let i = self.index[j];
                if y.marked[i] && !y.get(i).is_zero() {
                    s = s - y.get(i).clone() * self.value[j].clone();
                    touched = true;
                }
            }
            if touched {
                y.set(r, s / self.pivot[k].clone());
            }
        }
    }

    /// Rebuilds the file for the basis whose variables are `basis` (column indices of `cols`;
    /// the first `n` columns of `cols` must be the identity). The rows of the basic variables
    /// are reassigned: on return `basis[r]` is the variable whose value is row `r` of `B⁻¹ q`.
    ///
    /// # Errors
    /// [`Singular`] when some basic column has no acceptable pivot (no entry above
    /// [`Field::eps`] among the rows left).
    pub fn reinvert(
        &mut self,
        cols: &Columns<T>,
        basis: &mut [usize],
        work: &mut SparseVec<T>,
    ) -> Result<(), Singular> {
        let n = self.n;
        *self = EtaFile::new(n);
        let mut taken = vec![false; n];
        let mut placed = vec![usize::MAX; n];
        let mut rest = Vec::new();
        for &v in basis.iter() {
            if v < n && !taken[v] {
                taken[v] = true;
                placed[v] = v;
            } else {
                rest.push(v);
            }
        }
        let mut count = vec![0usize; n];
        for &v in &rest {
            for &i in cols.column(v).0 {
                count[i] += 1;
            }
        }
        rest.sort_by_key(|&v| (cols.column(v).0.len(), v));
        let eps = T::eps();
        for &v in &rest {
            work.load(cols, v);
            self.ftran(work);
            for &i in cols.column(v).0 {
                count[i] -= 1;
            }
            let mut largest = T::zero();
            for &i in work.pattern() {
                if !taken[i] && work.get(i).abs() > largest {
                    largest = work.get(i).abs();
                }
            }
            if largest <= eps || largest.is_zero() {
                return Err(Singular);
            }
            let threshold = T::pivot_threshold(&largest);
            let mut best: Option<(usize, usize, T)> = None;
            for &i in work.pattern() {
                let a = work.get(i).abs();
                if taken[i] || a.is_zero() || a < threshold {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((bi, bc, ba)) => {
                        count[i] < *bc || (count[i] == *bc && (a > *ba || (a == *ba && i < *bi)))
                    }
                };
                if better {
                    best = Some((i, count[i], a));
                }
            }
            let Some((r, _, _)) = best else {
                return Err(Singular);
            };
            self.push(r, work);
            taken[r] = true;
            placed[r] = v;
        }
        basis.copy_from_slice(&placed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[I | A]` with `A = [[2, 1, 0], [0, 3, 1], [1, 0, 4]]`.
    fn matrix() -> Columns<f64> {
        let mut lists: Vec<Vec<(usize, f64)>> = (0..3).map(|i| vec![(i, 1.0)]).collect();
        lists.push(vec![(0, 2.0), (2, 1.0)]);
        lists.push(vec![(0, 1.0), (1, 3.0)]);
        lists.push(vec![(1, 1.0), (2, 4.0)]);
        Columns::from_lists(lists)
    }

    fn dense(v: &SparseVec<f64>, n: usize) -> Vec<f64> {
        (0..n).map(|i| *v.get(i)).collect()
    }

    #[test]
    fn reinverted_basis_solves_and_transposes() {
        let cols = matrix();
        let mut basis = vec![3, 1, 5];
        let mut etas = EtaFile::new(3);
        let mut w = SparseVec::new(3);
        etas.reinvert(&cols, &mut basis, &mut w).unwrap();
        // The slack w1 keeps row 1.
        assert_eq!(basis[1], 1);
        // B z = q for q = B (1, 2, 3) (in the order of `basis`).
        let q = [
            2.0 * 1.0 + 0.0 * 2.0 + 0.0 * 3.0,
            0.0 + 2.0 + 3.0,
            1.0 + 0.0 + 12.0,
        ];
        let mut x = SparseVec::new(3);
        for (i, v) in q.iter().enumerate() {
            x.set(i, *v);
        }
        etas.ftran(&mut x);
        let want = |var: usize| match var {
            3 => 1.0,
            1 => 2.0,
            5 => 3.0,
            _ => unreachable!(),
        };
        for (r, &var) in basis.iter().enumerate() {
            assert!((x.get(r) - want(var)).abs() < 1e-12, "{:?}", dense(&x, 3));
        }
        // Row r of B⁻¹ times column basis[s] is δ_rs.
        for r in 0..3 {
            let mut y = SparseVec::new(3);
            y.set(r, 1.0);
            etas.btran(&mut y);
            for (s, &var) in basis.iter().enumerate() {
                let (idx, val) = cols.column(var);
                let dot: f64 = idx.iter().zip(val).map(|(&i, v)| y.get(i) * v).sum();
                let want = if r == s { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "row {r} col {s}: {dot}");
            }
        }
    }

    #[test]
    fn singular_basis_is_reported() {
        // Columns 3 and 4 are parallel.
        let mut lists: Vec<Vec<(usize, f64)>> = (0..2).map(|i| vec![(i, 1.0)]).collect();
        lists.push(vec![(0, 1.0), (1, 2.0)]);
        lists.push(vec![(0, 2.0), (1, 4.0)]);
        let cols = Columns::from_lists(lists);
        let mut basis = vec![2, 3];
        let mut etas = EtaFile::new(2);
        let mut w = SparseVec::new(2);
        assert_eq!(etas.reinvert(&cols, &mut basis, &mut w), Err(Singular));
    }

    #[test]
    fn duplicate_entries_are_summed_and_zeros_dropped() {
        let cols = Columns::from_lists(vec![
            vec![(1, 2.0), (0, 1.0), (1, -2.0)],
            vec![(0, 1.0), (0, 2.0)],
        ]);
        assert_eq!(cols.column(0), (&[0usize][..], &[1.0][..]));
        assert_eq!(cols.column(1), (&[0usize][..], &[3.0][..]));
        assert_eq!(cols.nnz(), 2);
    }
}
