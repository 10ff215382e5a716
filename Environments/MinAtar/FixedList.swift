/// A list with a fixed capacity, preallocated once, for entities that come and go every step without
/// allocating. Insertion order is kept (removal shifts the tail down), as the reference's lists do.
struct FixedList<Element> {
    private var storage: [Element]
    /// Number of live elements.
    private(set) var count = 0

    /// An empty list that can hold `capacity` elements; `filler` only initialises the storage.
    init(capacity: Int, filler: Element) {
        storage = [Element](repeating: filler, count: capacity)
    }

    /// The maximum number of elements.
    var capacity: Int { storage.count }

    /// Element `i` (0 ≤ i < count).
    @inline(__always)
    subscript(i: Int) -> Element {
        get { storage[i] }
        set { storage[i] = newValue }
    }

    /// Appends `element`; when the list is full the element is dropped and `false` returned.
    @discardableResult @inline(__always)
    mutating func append(_ element: Element) -> Bool {
        guard count < storage.count else { return false }
        storage[count] = element
        count &+= 1
        return true
    }

    /// Removes element `i`, shifting the later ones down by one.
    @inline(__always)
    mutating func remove(at i: Int) {
        var j = i
        while j < count &- 1 {
            storage[j] = storage[j &+ 1]
            j &+= 1
        }
        count &-= 1
    }

    /// Empties the list, keeping its storage.
    mutating func removeAll() { count = 0 }
}
