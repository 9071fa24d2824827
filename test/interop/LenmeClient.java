// Lenme's Java example, as its authentication document writes it, sending with java.net.http.HttpClient.
// Run as a single-file source program (Java 11+): java LenmeClient.java URL API_KEY SECRET_KEY
// Prints the status code on the first line and the response body after it.
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

public class LenmeClient {
    // From the vendor document, unchanged.
    public static String generateClientHmac(String secretKey) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String message = timestamp + ":" + secretKey;
        Mac hmac = Mac.getInstance("HmacSHA256");
        SecretKeySpec secretKeySpec = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        hmac.init(secretKeySpec);
        byte[] hash = hmac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        return String.format("%064x", new BigInteger(1, hash)) + "," + timestamp;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String apiKey = args[1];
        String secretKey = args[2];
        String[] result = generateClientHmac(secretKey).split(",");
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("accept", "application/json")
                .header("Content-Type", "application/json")
                .header("X-API-KEY", apiKey)
                .header("X-Timestamp", result[1])
                .header("X-HMAC", result[0])
                .POST(HttpRequest.BodyPublishers.ofString("{\"loan_id\": 42, \"amount\": 50.5}"))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode());
        System.out.println(response.body());
    }
}
