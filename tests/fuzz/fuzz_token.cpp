// The token parser on arbitrary input, HS256 and RS256 verifiers alike (the first byte picks
// one): any input is an Identity or a reason, never a crash; and a forged token is never
// accepted (the verifier's secret and private key never reach the fuzzer, so an accepted
// input would be a forgery).

#include "auth/TokenVerifier.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

using namespace switchboard;

namespace {

// The public half of a key made for this fuzzer only (openssl genpkey -algorithm RSA, 2048
// bits); the private half was thrown away.
const char publicKey[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArv//NEi/867NMY5iy46r
GIiFnTIK5264Kf+zNfZr7miWwCp3KCHk0NTSUD4rptTjAcIXPZbVy5sI2kcgYnQO
cFCgJmZh8uigat49VpAm2maqOuYfEHoBatZOwmYjX6JsZwuiZ+Us1jEFdbn7lDCI
DkE1MF2ZwlnpYqfbWgWKx/z2QJDn+oyif60OddOLVl98x2dfDw6k2JDAeqkHuvy8
D1mfCvZ/4Izn/WhXy/SXLfnTf/nj1TOxmVZ/WrNxmURmdeXZWs4PJPUF0dTXEtek
g2J7jxJraoUUQyJsG/42ry/MdCNtK/82ZwgzT8/S+giRVn5iGSvopclMXHrs10lM
qQIDAQAB
-----END PUBLIC KEY-----
)";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const TokenVerifier hs256(QByteArray("fuzz-secret-0123456789abcdef0123456789"));
    static const TokenVerifier rs256(TokenAlgorithm::RS256, QByteArray(publicKey));
    if (size == 0)
        return 0;
    const TokenVerifier& verifier = data[0] & 1 ? rs256 : hs256;
    const QByteArray token(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const auto verified = verifier.verify(token);
    if (std::holds_alternative<Identity>(verified))
        std::abort(); // a token the fuzzer could not have signed was accepted
    return 0;
}
