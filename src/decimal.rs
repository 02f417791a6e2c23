//! Rounding to four decimals, the precision every report prints: shared by the
//! reports, which print figures so, and by what stores a figure only to print it.

/// |x| × 10⁴ rounded to the nearest integer, ties to even, exactly as `{:.4}` rounds;
/// `None` when |x| is too large to do it in integers (or not finite). The standard
/// formatter falls back to big-number arithmetic for many four-decimal roundings,
/// which made formatting the costliest part of writing a large report.
pub fn ten_thousandths(x: f64) -> Option<u64> {
    if !x.is_finite() || x.abs() >= 1e14 {
        return None;
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |x| = mantissa × 2^shift exactly (subnormals have no implicit leading 1).
    let (mantissa, shift) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    };
    let scaled = u128::from(mantissa) * 10_000;
    if shift >= 0 {
        return u64::try_from(scaled << shift).ok();
    }
    let shift = shift.unsigned_abs();
    if shift > 100 {
        // Below 2⁻⁴⁷: the scaled value is under 2⁶⁷⁻¹⁰⁰, far from one half.
        return Some(0);
    }
    let (whole, rest, half) = (
        scaled >> shift,
        scaled & ((1 << shift) - 1),
        1u128 << (shift - 1),
    );
    let round_up = rest > half || (rest == half && whole & 1 == 1);
    u64::try_from(whole + u128::from(round_up)).ok()
}
