//! How close G is to P_r: the plane's metrics (`plane`, on a density grid from `grid`), and
//! the digits' quality numbers (`digits`), judged by the digit `classifier`.

pub mod classifier;
pub mod digits;
pub mod grid;
pub mod plane;
