// A Kiiex (AlphaPoint APEX) client as the vendor's "Authenticate with API Key" document describes it:
// Signature = HMAC-SHA256 keyed with the API secret over Nonce + UserId + APIKey (hex, upper case as AlphaPoint's
// examples print it), sent to AuthenticateUser as headers or as a JSON body; the sessionToken then goes in `aptoken`.
// Run as a single-file source program (Java 17): java KiiexClient.java BASE_URL API_KEY SECRET USER_ID VARIANT...
// where each VARIANT is headers or body (the whole flow runs once per variant, in one JVM).
// Prints one line per step: variant, step name, status and body separated by tabs.
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class KiiexClient {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static String signature(String secret, String nonce, String userId, String apiKey) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] hash = mac.doFinal((nonce + userId + apiKey).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().withUpperCase().formatHex(hash);
    }

    static HttpRequest authenticateUser(String base, String variant, String apiKey, String secret, String userId, String nonce) throws Exception {
        String signature = signature(secret, nonce, userId, apiKey);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/AuthenticateUser"));
        if (variant.equals("headers")) {
            builder.header("APIKey", apiKey).header("Signature", signature).header("UserId", userId).header("Nonce", nonce)
                    .POST(HttpRequest.BodyPublishers.noBody());
        } else {
            String json = "{\"APIKey\":\"" + apiKey + "\",\"Signature\":\"" + signature + "\",\"UserId\":\"" + userId
                    + "\",\"Nonce\":\"" + nonce + "\"}";
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return builder.build();
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String variant;

    static void print(String step, HttpResponse<String> response) {
        System.out.println(variant + "\t" + step + "\t" + response.statusCode() + "\t" + response.body());
    }

    public static void main(String[] args) throws Exception {
        for (int i = 4; i < args.length; i++) {
            variant = args[i];
            flow(args[0] + "/kiiex", args[1], args[2], args[3]);
        }
    }

    static void flow(String base, String apiKey, String secret, String userId) throws Exception {
        String nonce = Long.toUnsignedString(new SecureRandom().nextLong());

        HttpRequest login = authenticateUser(base, variant, apiKey, secret, userId, nonce);
        HttpResponse<String> auth = send(login);
        print("authenticate", auth);
        Matcher token = Pattern.compile("\"sessionToken\":\"([^\"]+)\"").matcher(auth.body());
        if (!token.find()) return;
        String aptoken = token.group(1);

        for (int i = 1; i <= 3; i++) {
            print("get" + i, send(HttpRequest.newBuilder(URI.create(base + "/GetUserAccounts?OMSId=1")).header("aptoken", aptoken).GET().build()));
        }
        print("post", send(HttpRequest.newBuilder(URI.create(base + "/GetAccountPositions"))
                .header("aptoken", aptoken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"OMSId\":1,\"AccountId\":7}")).build()));
        print("replay", send(login));
        String other = Long.toUnsignedString(new SecureRandom().nextLong());
        print("wrong_secret", send(authenticateUser(base, variant, apiKey, secret + "x", userId, other)));
        print("logout", send(HttpRequest.newBuilder(URI.create(base + "/LogOut")).header("aptoken", aptoken)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        print("after_logout", send(HttpRequest.newBuilder(URI.create(base + "/GetUserAccounts")).header("aptoken", aptoken).GET().build()));
    }
}
