// test_pki.cpp — see test_pki.hpp. Test support only: failures throw std::runtime_error.
#include "test_pki.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <stdexcept>

namespace aware::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("test PKI: ") + what + " failed");
  }
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EC key generation");
  return key;
}

void write_pem(const std::filesystem::path& path, X509* cert, EVP_PKEY* key) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  check(f != nullptr, "opening a PEM file");
  const bool ok = cert != nullptr ? PEM_write_X509(f, cert) == 1
                                  : PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr,
                                                         nullptr) == 1;
  std::fclose(f);
  check(ok, "writing PEM");
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "making an extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by issuer_key (self-signed when issuer is null).
X509* make_cert(EVP_PKEY* key, const std::string& cn, long serial, std::chrono::seconds from,
                std::chrono::seconds to, X509* issuer) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), static_cast<long>(from.count()));
  X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(to.count()));
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("awared tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  return cert;
}

}  // namespace

struct TestCa::Keys {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~Keys() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

TestCa::TestCa(std::filesystem::path dir, std::string name)
    : dir_{std::move(dir)}, name_{std::move(name)}, keys_{std::make_unique<Keys>()} {
  keys_->key = new_key();
  keys_->cert = make_cert(keys_->key, name_ + " CA", 1, std::chrono::hours(-24),
                          std::chrono::hours(24 * 365), nullptr);
  add_ext(keys_->cert, keys_->cert, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(keys_->cert, keys_->cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(keys_->cert, keys_->cert, NID_subject_key_identifier, "hash");
  check(X509_sign(keys_->cert, keys_->key, EVP_sha256()) > 0, "signing the CA");
  cert_file_ = dir_ / (name_ + "-ca.crt");
  write_pem(cert_file_, keys_->cert, nullptr);
  key_file_ = dir_ / (name_ + "-ca.key");
  write_pem(key_file_, nullptr, keys_->key);
}

TestCa::~TestCa() = default;

IssuedCert TestCa::issue(const CertSpec& spec) {
  IssuedCert out;
  out.serial = next_serial_++;
  EVP_PKEY* key = new_key();
  X509* cert = make_cert(key, spec.common_name, out.serial, spec.not_before, spec.not_after,
                         keys_->cert);
  add_ext(cert, keys_->cert, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert, keys_->cert, NID_authority_key_identifier, "keyid");
  if (spec.server) {
    add_ext(cert, keys_->cert, NID_ext_key_usage, "serverAuth");
    add_ext(cert, keys_->cert, NID_subject_alt_name, spec.alt_names.c_str());
  } else {
    add_ext(cert, keys_->cert, NID_ext_key_usage, "clientAuth");
  }
  check(X509_sign(cert, keys_->key, EVP_sha256()) > 0, "signing a certificate");
  const std::string stem = name_ + "-" + std::to_string(out.serial);
  out.cert = dir_ / (stem + ".crt");
  out.key = dir_ / (stem + ".key");
  write_pem(out.cert, cert, nullptr);
  write_pem(out.key, nullptr, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

std::filesystem::path TestCa::crl(const std::vector<long>& serials) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(keys_->cert));
  ASN1_TIME* now = X509_gmtime_adj(nullptr, -60);
  ASN1_TIME* next = X509_gmtime_adj(nullptr, 7 * 86400);
  X509_CRL_set1_lastUpdate(crl, now);
  X509_CRL_set1_nextUpdate(crl, next);
  for (long serial : serials) {
    X509_REVOKED* revoked = X509_REVOKED_new();
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, serial);
    X509_REVOKED_set_serialNumber(revoked, number);
    X509_REVOKED_set_revocationDate(revoked, now);
    X509_CRL_add0_revoked(crl, revoked);
    ASN1_INTEGER_free(number);
  }
  X509_CRL_sort(crl);
  check(X509_CRL_sign(crl, keys_->key, EVP_sha256()) > 0, "signing the CRL");
  ASN1_TIME_free(now);
  ASN1_TIME_free(next);
  const auto path = dir_ / (name_ + ".crl");
  std::FILE* f = std::fopen(path.c_str(), "w");
  check(f != nullptr, "opening the CRL file");
  const bool ok = PEM_write_X509_CRL(f, crl) == 1;
  std::fclose(f);
  X509_CRL_free(crl);
  check(ok, "writing the CRL");
  return path;
}

}  // namespace aware::testing
