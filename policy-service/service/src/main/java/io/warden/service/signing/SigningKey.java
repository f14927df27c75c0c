package io.warden.service.signing;

import io.warden.service.auth.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key the service signs policies with. Agents hold its public key ({@code WARDEN_POLICY_PUBLIC_KEY}:
 * base64 of the X.509 encoding) and verify the signature over the exact bytes of the policy they receive.
 */
public final class SigningKey {

    public static final String ALGORITHM = "Ed25519";
    /** The private key's file in the data directory: base64 of its PKCS#8 encoding, readable by the owner only. */
    public static final String FILE_NAME = "signing-key";

    static final int KEY_ID_HEX_CHARS = 16;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The key in {@value #FILE_NAME} of the directory, made there (0600) when there is none. */
    public static SigningKey loadOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            KeyPair pair = generate();
            String encoded =
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            writeOwnerOnly(file, encoded + "\n");
        }
        return fromPkcs8Base64(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    }

    /**
     * @param source where the text came from, for the error message
     * @throws IllegalArgumentException when the text is not a base64 PKCS#8 Ed25519 private key
     */
    public static SigningKey fromPkcs8Base64(String base64, String source) {
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            // A PKCS#8 Ed25519 key from the JDK holds no public key. The JDK's generator makes the private key from 32
            // random bytes and derives the public key from them, so a generator fed exactly the private key's bytes
            // derives its public key.
            byte[] secret = ((EdECPrivateKey) privateKey)
                    .getBytes()
                    .orElseThrow(() -> new InvalidKeyException("the private key's bytes are not available"));
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(secret));
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), secret)) {
                throw new InvalidKeyException("cannot derive the public key");
            }
            return new SigningKey(privateKey, pair.getPublic());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ": not a base64 PKCS#8 " + ALGORITHM + " private key (" + e.getMessage() + ")", e);
        }
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has " + ALGORITHM, e);
        }
    }

    /** Signature over exactly these bytes. */
    public byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + ALGORITHM, e);
        }
    }

    /** Base64 of the X.509 encoding: the value of {@code WARDEN_POLICY_PUBLIC_KEY}. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The first hex digits of the SHA-256 of the public key's X.509 encoding. */
    public String keyId() {
        return HexFormat.of().formatHex(Tokens.sha256(publicKey.getEncoded())).substring(0, KEY_ID_HEX_CHARS);
    }

    /** Whether the signature over the message verifies with the public key (base64 X.509). */
    public static boolean verify(String publicKeyBase64, byte[] message, byte[] signatureBytes) {
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Hands out the given bytes as "random" bytes, once. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("expected a request for " + bytes.length + " bytes, not " + out.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    /** Writes a file that only its owner can read, atomically, never replacing an existing one. */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        Path temporary = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException raced) {
                // Another process made it first; theirs is kept.
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file);
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
