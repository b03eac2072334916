//! Tables whose entries are reused: a value goes into the most recently freed entry (the last
//! one on the vacant list) or at the end, so a table grows only to the most entries in use at once.

/// Puts `value` into a vacant entry of `items` (popped from `vacant`) or appends it; returns
/// its index.
#[inline]
pub fn put<T>(items: &mut Vec<T>, vacant: &mut Vec<u32>, value: T) -> u32 {
    match vacant.pop() {
        Some(i) => {
            items[i as usize] = value;
            i
        }
        None => {
            items.push(value);
            (items.len() - 1) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_entries_are_reused_before_the_table_grows() {
        let (mut items, mut vacant) = (vec![], vec![]);
        assert_eq!(put(&mut items, &mut vacant, 'a'), 0);
        assert_eq!(put(&mut items, &mut vacant, 'b'), 1);
        vacant.push(0);
        assert_eq!(put(&mut items, &mut vacant, 'c'), 0);
        assert_eq!(items, vec!['c', 'b']);
        assert_eq!(put(&mut items, &mut vacant, 'd'), 2);
    }
}
