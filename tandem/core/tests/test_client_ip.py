from django.test import RequestFactory, override_settings

from tandem.core.http import client_ip


def request(forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


def test_without_trusted_proxies_the_connecting_address_counts():
    assert client_ip(request("1.2.3.4")) == "10.0.0.2"


@override_settings(TANDEM_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_last_forwarded_hop_counts_and_spoofed_ones_do_not():
    assert client_ip(request("6.6.6.6, 1.2.3.4")) == "1.2.3.4"


@override_settings(TANDEM_TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_second_hop_from_the_right_counts():
    assert client_ip(request("6.6.6.6, 1.2.3.4, 10.0.0.1")) == "1.2.3.4"


@override_settings(TANDEM_TRUSTED_PROXIES=1)
def test_a_request_that_bypassed_the_proxy_falls_back_to_the_connecting_address():
    assert client_ip(request()) == "10.0.0.2"
