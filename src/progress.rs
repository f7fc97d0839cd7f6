//! Progress reports from long computations, as a plain callback: the library knows nothing of
//! terminals or bars (the CLI draws them with indicatif, only when stderr is a terminal).

/// Called now and then with `(done, total)`: units of work finished and the total known so
/// far. The total may grow while a search discovers more work (Lemke–Howson graph traversal,
/// vertex enumeration); `done <= total` always. Cheap to call; a solver calls it at most once
/// per unit of work.
///
/// # Example
/// ```
/// use covenant::game::Bimatrix;
/// use covenant::noncoop::{lemke_howson_all_with_progress, LemkeHowsonOptions};
/// let g = Bimatrix::from_rows(&[[3.0, 0.0], [0.0, 2.0]], &[[2.0, 0.0], [0.0, 3.0]]).unwrap();
/// let mut last = (0, 0);
/// let mut report = |done: usize, total: usize| last = (done, total);
/// let all = lemke_howson_all_with_progress(&g, &LemkeHowsonOptions::default(), Some(&mut report))
///     .unwrap();
/// assert_eq!(all.len(), 3);
/// assert_eq!(last.0, last.1);
/// ```
pub type ProgressFn<'a> = &'a mut dyn FnMut(usize, usize);
