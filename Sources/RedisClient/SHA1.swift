/// A small SHA-1 implementation (FIPS 180-4), used only to name scripts the way Redis does.
///
/// SHA-1 is not used here for security: Redis identifies cached scripts by the SHA-1 of their source.
enum SHA1 {
    /// The digest of `message` as 40 lowercase hexadecimal digits.
    static func hexDigest(of message: [UInt8]) -> String {
        digest(of: message).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The 20-byte digest of `message`.
    static func digest(of message: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0
        )
        for chunkStart in stride(from: 0, to: paddedLength(message.count), by: 64) {
            process(chunk: chunkStart, of: message, into: &state)
        }
        return [state.0, state.1, state.2, state.3, state.4].flatMap { word in
            [
                UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                UInt8(truncatingIfNeeded: word),
            ]
        }
    }

    // MARK: - Padding

    /// The message length rounded up to whole 64-byte blocks, including the `0x80` marker and length.
    private static func paddedLength(_ length: Int) -> Int {
        (length + 8) / 64 * 64 + 64
    }

    /// The byte at `index` of the padded message: the message, `0x80`, zeros, then the bit length.
    private static func paddedByte(_ index: Int, of message: [UInt8]) -> UInt8 {
        if index < message.count {
            return message[index]
        }
        if index == message.count {
            return 0x80
        }
        let total = paddedLength(message.count)
        let fromEnd = total - 1 - index
        guard fromEnd < 8 else {
            return 0
        }
        let bitLength = UInt64(message.count) &* 8
        return UInt8(truncatingIfNeeded: bitLength >> (UInt64(fromEnd) * 8))
    }

    // MARK: - Compression

    private static func process(
        chunk start: Int,
        of message: [UInt8],
        into state: inout (UInt32, UInt32, UInt32, UInt32, UInt32)
    ) {
        var words = [UInt32](repeating: 0, count: 80)
        for index in 0..<16 {
            var word: UInt32 = 0
            for byte in 0..<4 {
                word = word << 8 | UInt32(paddedByte(start + index * 4 + byte, of: message))
            }
            words[index] = word
        }
        for index in 16..<80 {
            words[index] = rotateLeft(words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1)
        }
        var (a, b, c, d, e) = state
        for index in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch index {
            case 0..<20:
                f = (b & c) | (~b & d)
                k = 0x5A82_7999
            case 20..<40:
                f = b ^ c ^ d
                k = 0x6ED9_EBA1
            case 40..<60:
                f = (b & c) | (b & d) | (c & d)
                k = 0x8F1B_BCDC
            default:
                f = b ^ c ^ d
                k = 0xCA62_C1D6
            }
            let temp = rotateLeft(a, 5) &+ f &+ e &+ k &+ words[index]
            e = d
            d = c
            c = rotateLeft(b, 30)
            b = a
            a = temp
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
    }

    private static func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
        value << count | value >> (32 - count)
    }
}
