// Word releases (.docx): a zip holding WordprocessingML. The zip's directory is read here
// (a few fixed-layout records) and its members inflated with zlib, which libxml2 already
// brings into every Presse process: no library is added to a search's start-up (ZIPFoundation
// brought all of Foundation, minizip would add one more shared library). The inflated XML
// streams into libxml2's push parser (SAX) chunk by chunk, so memory holds the text only, and
// a member that inflates past `max_inflated` (a zip bomb: kilobytes that inflate to
// gigabytes), or text past `max_text`, stops there with its reason.
//
// Read: word/document.xml's paragraphs (w:p), their runs' text (w:t), tabs and breaks; the
// first paragraph styled Title (else Heading 1) as a headline; docProps/core.xml's dc:title
// and dcterms:created. Not read: headers, footers, footnotes and comments (other members),
// deleted text (w:delText), field codes (w:instrText), and the fallback copy of a text box
// that Word writes beside its modern form (mc:Fallback).
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "internal.h"
#include "sax_stream.h"

namespace {

struct Failure {
    std::string reason;
};

uint16_t le16(const unsigned char *p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t le32(const unsigned char *p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
           static_cast<uint32_t>(p[3]) << 24;
}

// One member of the zip, from its central-directory record.
struct Member {
    uint16_t flags = 0, method = 0;
    uint32_t crc = 0, compressed = 0, size = 0, local_offset = 0;
};

// The zip's central directory, searched for one member by name.
class Zip {
  public:
    Zip(const unsigned char *bytes, size_t length) : bytes_(bytes), length_(length) {
        // The end-of-central-directory record: 22 bytes, then a comment of up to 64 KB.
        if (length < 22) throw Failure{"not a zip archive"};
        size_t lowest = length > 22 + 65535 ? length - 22 - 65535 : 0;
        for (size_t at = length - 22 + 1; at-- > lowest;) {
            if (le32(bytes + at) == 0x06054b50) {
                end_ = at;
                break;
            }
        }
        if (end_ == SIZE_MAX) throw Failure{"not a zip archive (or a truncated one)"};
        directory_size_ = le32(bytes + end_ + 12);
        directory_offset_ = le32(bytes + end_ + 16);
        if (directory_offset_ == 0xFFFFFFFF || le16(bytes + end_ + 10) == 0xFFFF)
            throw Failure{"a ZIP64 archive, which Presse does not read"};
        if (size_t(directory_offset_) + directory_size_ > end_) throw Failure{"a damaged zip directory"};
    }

    bool find(const std::string &name, Member &member) const {
        size_t at = directory_offset_, stop = size_t(directory_offset_) + directory_size_;
        while (at + 46 <= stop && le32(bytes_ + at) == 0x02014b50) {
            const unsigned char *record = bytes_ + at;
            size_t name_length = le16(record + 28), extra = le16(record + 30), comment = le16(record + 32);
            if (at + 46 + name_length > stop) break;
            if (name_length == name.size() && std::memcmp(record + 46, name.data(), name_length) == 0) {
                member.flags = le16(record + 8);
                member.method = le16(record + 10);
                member.crc = le32(record + 16);
                member.compressed = le32(record + 20);
                member.size = le32(record + 24);
                member.local_offset = le32(record + 42);
                return true;
            }
            at += 46 + name_length + extra + comment;
        }
        return false;
    }

    // Inflates (or copies) a member into `sink(chunk, length)`, at most `max_inflated` bytes;
    // checks its CRC-32.
    template <typename Sink>
    void read(const std::string &name, const Member &member, size_t max_inflated, Sink sink) const {
        if (member.flags & 1) throw Failure{"an encrypted Word file"};
        size_t local = member.local_offset;
        if (local + 30 > length_ || le32(bytes_ + local) != 0x04034b50) throw Failure{"a damaged zip (" + name + ")"};
        size_t data = local + 30 + le16(bytes_ + local + 26) + le16(bytes_ + local + 28);
        if (data > length_ || member.compressed > length_ - data) throw Failure{"a truncated zip (" + name + ")"};
        const unsigned char *input = bytes_ + data;
        auto too_large = [&] {
            return Failure{"a Word file whose " + name + " inflates past " + std::to_string(max_inflated >> 20) + " MB (a zip bomb?)"};
        };
        uLong crc = crc32(0L, Z_NULL, 0);
        size_t total = 0;
        if (member.method == 0) {
            if (member.compressed > max_inflated) throw too_large();
            crc = crc32(crc, input, member.compressed);
            sink(reinterpret_cast<const char *>(input), size_t(member.compressed));
            total = member.compressed;
        } else if (member.method == 8) {
            z_stream stream;
            std::memset(&stream, 0, sizeof stream);
            if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) throw std::bad_alloc();
            unsigned char out[65536];
            size_t offset = 0;
            for (;;) {
                // zlib counts in 32-bit units: the input goes in a gigabyte at most at a time.
                if (stream.avail_in == 0 && offset < member.compressed) {
                    size_t piece = std::min<size_t>(member.compressed - offset, size_t(1) << 30);
                    stream.next_in = const_cast<Bytef *>(input + offset);
                    stream.avail_in = static_cast<uInt>(piece);
                    offset += piece;
                }
                stream.next_out = out;
                stream.avail_out = sizeof out;
                int status = inflate(&stream, Z_NO_FLUSH);
                size_t produced = sizeof out - stream.avail_out;
                bool stuck = status == Z_BUF_ERROR && produced == 0;  // the input ended early
                if ((status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) || stuck) {
                    inflateEnd(&stream);
                    throw Failure{"a damaged or truncated zip (" + name + ")"};
                }
                total += produced;
                if (total > max_inflated) {
                    inflateEnd(&stream);
                    throw too_large();
                }
                crc = crc32(crc, out, static_cast<uInt>(produced));
                sink(reinterpret_cast<const char *>(out), produced);
                if (status == Z_STREAM_END) break;
            }
            inflateEnd(&stream);
        } else {
            throw Failure{"a zip compressed with method " + std::to_string(member.method) + ", which Presse does not read"};
        }
        if (crc != member.crc || total != member.size) throw Failure{"a damaged zip (" + name + " fails its checksum)"};
    }

  private:
    const unsigned char *bytes_;
    size_t length_;
    size_t end_ = SIZE_MAX;
    uint32_t directory_size_ = 0, directory_offset_ = 0;
};

// word/document.xml, read as it streams: paragraphs a paragraph each, blank lines between.
struct DocumentText {
    size_t max_text = 0;
    std::string out, paragraph, headline, heading_headline;
    bool in_text = false, styled_title = false, styled_heading = false;
    int fallback_depth = 0;  // inside mc:Fallback (a copy of what mc:Choice holds)

    void end_paragraph() {
        size_t first = paragraph.find_first_not_of(" \t\n");
        if (first != std::string::npos) {
            size_t last = paragraph.find_last_not_of(" \t\n");
            std::string words = paragraph.substr(first, last - first + 1);
            if (styled_title && headline.empty()) headline = words;
            if (styled_heading && heading_headline.empty()) heading_headline = words;
            if (!out.empty()) out += "\n\n";
            out += words;
        }
        paragraph.clear();
        styled_title = styled_heading = false;
    }

    void start(const std::string &name, const cxapian::SaxAttributes &attributes) {
        if (name == "Fallback") ++fallback_depth;
        if (fallback_depth) return;
        if (name == "p") end_paragraph();  // a text box's paragraph inside a paragraph
        else if (name == "t") in_text = true;
        else if (name == "tab") paragraph += ' ';
        else if (name == "br" || name == "cr") paragraph += '\n';
        else if (name == "noBreakHyphen") paragraph += '-';
        else if (name == "pStyle") {
            // Style ids as Word writes them in English; a localised Word's ("berschrift1")
            // fall back to the properties' title, else the first line.
            std::string style = attributes["val"];
            if (style == "Title") styled_title = true;
            if (style == "Heading1") styled_heading = true;
        }
    }

    void end(const std::string &name) {
        if (name == "Fallback") {
            --fallback_depth;
            return;
        }
        if (fallback_depth) return;
        if (name == "t") in_text = false;
        else if (name == "p") end_paragraph();
    }

    void text(const char *chars, size_t length) {
        if (!in_text || fallback_depth) return;
        paragraph.append(chars, length);
        if (out.size() + paragraph.size() > max_text)
            throw Failure{"a Word file whose text is longer than " + std::to_string(max_text >> 20) + " MB"};
    }
};

// docProps/core.xml: the document's title and creation date.
struct CoreProperties {
    std::string title, created, *capture = nullptr;

    void start(const std::string &name, const cxapian::SaxAttributes &) {
        capture = name == "title" ? &title : name == "created" ? &created : nullptr;
    }
    void end(const std::string &) { capture = nullptr; }
    void text(const char *chars, size_t length) {
        if (capture) capture->append(chars, length);
    }
};

// Streams one member of the zip through a handler.
template <typename Handler>
void parse_member(const Zip &zip, const std::string &name, const Member &member, size_t max_inflated, Handler &handler) {
    cxapian::SaxStream<Handler> parser(handler);
    zip.read(name, member, max_inflated, [&](const char *chunk, size_t length) { parser.feed(chunk, length); });
    parser.finish();
}

}  // namespace

extern "C" cx_status cx_docx_text(const char *bytes, size_t length, size_t max_inflated, size_t max_text, cx_bytes *title, cx_bytes *created,
                                  cx_bytes *text, cx_error *error) {
    for (cx_bytes *out : {title, created, text})
        if (out) *out = cx_bytes{nullptr, 0};
    try {
        if ((!bytes && length) || !title || !created || !text) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        Zip zip(reinterpret_cast<const unsigned char *>(bytes), length);
        Member member;
        if (!zip.find("word/document.xml", member)) throw Failure{"a zip without word/document.xml (not a Word file)"};
        DocumentText document;
        document.max_text = max_text;
        parse_member(zip, "word/document.xml", member, max_inflated, document);
        document.end_paragraph();
        CoreProperties core;
        if (zip.find("docProps/core.xml", member)) parse_member(zip, "docProps/core.xml", member, max_inflated, core);
        std::string name = core.title;
        if (name.find_first_not_of(" \t\n\r") == std::string::npos) name = document.headline;
        if (name.empty()) name = document.heading_headline;
        cxapian::copy_out(name, title);
        cxapian::copy_out(core.created, created);
        cxapian::copy_out(document.out, text);
        return CX_OK;
    } catch (const Failure &failure) {
        for (cx_bytes *out : {title, created, text}) cx_bytes_free(out);
        return cxapian::fail(error, CX_INVALID_ARGUMENT, failure.reason);
    } catch (...) {
        for (cx_bytes *out : {title, created, text}) cx_bytes_free(out);
        return cxapian::translate_exception(error);
    }
}
