/** A modular application using promlet. */
module com.example.modular {
    requires io.promlet;
    requires java.net.http;
}
